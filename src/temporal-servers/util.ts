/** Small process helpers shared by the server finders (Node only). */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { delimiter, join } from "node:path";

/** Absolute path of `name` on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** True if `path` exists and is executable. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function log(message: string): void {
  process.stderr.write(`[joeflow] ${message}\n`);
}

/**
 * Runs a command, keeping our stdout clean for callers that print results.
 * With `echo` its output goes to our stderr as it comes; without, it is kept
 * and shown only if the command fails. Rejects on a non-zero exit or a signal.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean } = {},
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [
        "ignore",
        options.echo === true ? process.stderr : "pipe",
        options.echo === true ? process.stderr : "pipe",
      ],
    });
    const output: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) return resolvePromise();
      process.stderr.write(Buffer.concat(output));
      reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit code ${String(code)}`})`));
    });
  });
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** True if something accepts TCP connections on 127.0.0.1:port. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once("error", () => resolveConnect(false));
  });
}

/**
 * Name for a staging folder in `parent`, and removal of the ones that earlier
 * processes left when they were killed (their pid is no longer alive).
 */
export async function stagingDir(parent: string, prefix: string): Promise<string> {
  const start = `.tmp-${prefix}-`;
  for (const name of await readdir(parent).catch(() => [])) {
    const pid = Number(name.slice(start.length).split("-")[0]);
    if (name.startsWith(start) && Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
      await rm(join(parent, name), { recursive: true, force: true });
    }
  }
  return join(parent, `${start}${process.pid}-${randomBytes(4).toString("hex")}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
