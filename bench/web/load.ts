/**
 * The simulated users' side in this process: load-generator.ts runs in a child process (so the users
 * do not share the event loop of the server they measure); this sends it jobs and awaits the replies.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadJob, LoadReply } from "./load-generator.ts";

export class Load {
  private child!: ChildProcess;
  private nextId = 1;
  private waiting = new Map<number, (reply: LoadReply | { error: string }) => void>();

  async start(): Promise<void> {
    this.child = fork(fileURLToPath(new URL("./load-generator.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the load generator did not start in 60 s")), 60_000);
      this.child.once("message", () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.once("exit", (code) => reject(new Error(`the load generator exited with ${code}`)));
    });
    this.child.on("message", (m: (LoadReply | { id: number; error: string })) => {
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    });
  }

  async run(job: Omit<LoadJob, "id">): Promise<LoadReply> {
    const id = this.nextId++;
    const reply = await new Promise<LoadReply | { error: string }>((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...job, id });
    });
    if ("error" in reply) throw new Error(`load generator: ${reply.error}`);
    return reply;
  }

  stop(): void {
    if (this.child && this.child.exitCode === null) this.child.kill("SIGTERM");
  }
}
