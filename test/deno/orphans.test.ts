/**
 * A test process that dies (SIGKILL, a crash) leaves no Temporal server behind: the servers run
 * under a watchdog (src/temporal-servers/watchdog.ts). A child process, run by the runtime running
 * the suite (`deno run -A` on Deno, `node --import tsx` on Node), starts the time-skipping test
 * server with createTestEnv, or the Temporal CLI dev server, and is then killed with SIGKILL; the
 * server must be gone within seconds. A normal teardown still works and the child exits 0.
 * Linux only (it reads /proc).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { findDevServer, findTestServer } from "../../src/temporal-servers/mod.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const child = "test/deno/fixtures/server-child.ts";
const onDeno = "Deno" in globalThis;
const hasProc = existsSync("/proc/self/stat");
// Without a server on disk the SDK downloads its own, which runs without the watchdog; CI installs both.
const strict = process.env.CI === "true";
const haveTestServer = strict || (await findTestServer({ fetch: false })) !== undefined;
const haveDevServer = strict || (await findDevServer({ build: false })) !== undefined;

interface Stat {
  readonly ppid: number;
  readonly state: string;
  readonly start: string;
}

/** /proc/<pid>/stat, or undefined when there is no such process. */
function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", ppid: Number(fields[1]), start: fields[19] ?? "" };
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

function processes(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Alive: present, not a zombie, and still the process first seen (same start time). */
function alive(pid: number, start: string): boolean {
  const now = stat(pid);
  return now !== undefined && now.state !== "Z" && now.start === start;
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

const children: ChildProcess[] = [];
const servers: { pid: number; start: string }[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  // A failed test must not leave its server behind either.
  for (const { pid, start } of servers.splice(0)) if (alive(pid, start)) process.kill(pid, "SIGKILL");
});

/** Starts the child; resolves once its server is up, with the server's and the watchdog's pid. */
async function startChild(server: "test" | "dev", mode: "kill" | "teardown") {
  const runtime = onDeno ? ["run", "-A"] : ["--import", "tsx"];
  const proc = spawn(process.execPath, [...runtime, child, server, mode], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.push(proc);
  let output = "";
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    proc.on("exit", (code, signal) => resolve({ code, signal })),
  );
  proc.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ready \d+$/m.test(output)) resolve();
    });
    void exited.then(({ code, signal }) => reject(new Error(`child exited (${signal ?? code}):\n${output}`)));
  });
  const marker = server === "test" ? "io.temporal.testserver.TestServer" : "start-dev";
  const serverPid = processes().find(
    (pid) => stat(pid)?.ppid === proc.pid && commandLine(pid).some((arg) => arg.includes(marker)),
  );
  if (serverPid === undefined) throw new Error(`no ${server} server among the children of ${proc.pid}:\n${output}`);
  const serverStart = stat(serverPid)?.start ?? "";
  servers.push({ pid: serverPid, start: serverStart });
  const watchdogPid = processes().find((pid) => {
    const args = commandLine(pid).filter((arg) => arg !== "");
    return args.includes("joeflow-watchdog") && args.at(-1) === String(serverPid);
  });
  return { proc, exited, serverPid, serverStart, watchdogPid, output: () => output };
}

describe.skipIf(!hasProc)(`Temporal servers of a test process on ${onDeno ? "Deno" : "Node"}`, () => {
  for (const server of ["test", "dev"] as const) {
    const name = server === "test" ? "the time-skipping test server (createTestEnv)" : "the dev server";
    const present = server === "test" ? haveTestServer : haveDevServer;

    it.skipIf(!present)(
      `${name} is gone within seconds after the process is killed`,
      { timeout: 180_000 },
      async () => {
        const { proc, exited, serverPid, serverStart, watchdogPid } = await startChild(server, "kill");
        expect(watchdogPid, "a watchdog watches the server").toBeDefined();
        expect(alive(serverPid, serverStart)).toBe(true);
        proc.kill("SIGKILL");
        expect((await exited).signal).toBe("SIGKILL");
        expect(await until(() => !alive(serverPid, serverStart), 10_000), `server ${serverPid} still runs`).toBe(true);
        if (watchdogPid !== undefined) {
          const start = stat(watchdogPid)?.start ?? "";
          expect(await until(() => !alive(watchdogPid, start), 5_000), "the watchdog ends").toBe(true);
        }
      },
    );

    it.skipIf(!present)(`${name} stops at a normal teardown, which exits 0`, { timeout: 180_000 }, async () => {
      const { proc, exited, serverPid, serverStart, watchdogPid, output } = await startChild(server, "teardown");
      expect(watchdogPid).toBeDefined();
      proc.stdin?.write("teardown\n");
      const { code } = await exited;
      expect(code, output()).toBe(0);
      expect(await until(() => !alive(serverPid, serverStart), 5_000)).toBe(true);
      if (watchdogPid !== undefined) {
        const start = stat(watchdogPid)?.start ?? "";
        expect(await until(() => !alive(watchdogPid, start), 5_000), "the watchdog ends").toBe(true);
      }
    });
  }
});
