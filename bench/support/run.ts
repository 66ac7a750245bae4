/**
 * What both benches share besides their servers: the command line, percentiles, CPU time from /proc,
 * and a run's frame (cleanups in reverse order whatever happens, an overall time limit).
 */
import { readdirSync, readFileSync } from "node:fs";
import { DefaultLogger, Runtime } from "@temporalio/worker";

/** `--name N`, a number >= 0, or `fallback` when the option is not given. */
export function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} wants a number`);
  return value;
}

export const flag = (name: string) => process.argv.includes(`--${name}`);

/** The nearest-rank percentile (no interpolation): a value that was measured. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
export const ms = (v: number) => (Number.isNaN(v) ? "n/a" : `${v.toFixed(1)} ms`);
export const sec = (v: number) => `${(v / 1000).toFixed(2)} s`;
export const dist = (values: readonly number[], ps = [50, 99]) =>
  `${ps.map((p) => `p${p} ${ms(percentile(values, p))}`).join("  ")}  (n=${values.length})`;

/**
 * CPU ms so far of this process, the dev server and the PostgreSQL backends of the bench's database:
 * process CPU time holds up better than wall time on a busy machine.
 */
export interface Cpu {
  self: number;
  server: number;
  pg: number;
}

/** Set once the dev server runs and the database exists. */
export const cpuSources = { serverPid: undefined as number | undefined, database: "" };

/** utime + stime from /proc (USER_HZ is 100); the fields count from the command's ")", which may hold spaces. */
function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0; // gone
  }
}

export function findProcesses(match: (cmdline: string) => boolean): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return match(readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "));
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function cpuNow(): Cpu {
  const { user, system } = process.cpuUsage();
  const backends = cpuSources.database
    ? findProcesses((c) => c.startsWith("postgres:") && c.includes(` ${cpuSources.database} `))
    : [];
  return {
    self: (user + system) / 1000,
    server: cpuSources.serverPid ? procCpuMs(cpuSources.serverPid) : 0,
    pg: sum(backends.map(procCpuMs)),
  };
}

export const cpuSince = (before: Cpu, now = cpuNow()): Cpu => ({
  self: now.self - before.self,
  server: now.server - before.server,
  pg: now.pg - before.pg,
});

/** What to undo at the end, last added first; each runs once. */
export class Cleanups {
  private readonly steps: { what: string; run: () => Promise<void> | void }[] = [];

  add(what: string, run: () => Promise<void> | void): void {
    this.steps.unshift({ what, run });
  }

  async runAll(): Promise<void> {
    for (const step of this.steps.splice(0)) {
      await Promise.resolve()
        .then(step.run)
        .catch((error) => console.error(`cleanup "${step.what}" failed:`, error));
    }
  }
}

function killServer(): void {
  try {
    if (cpuSources.serverPid) process.kill(cpuSources.serverPid, "SIGKILL"); // the SDK kills it only at teardown
  } catch {
    /* already gone */
  }
}

/**
 * Runs `body` with the SDK logging at WARN and exits: 0, or 1 if it threw or was still running after
 * `timeoutS` (then printing `whatIsLeft()`). Cleanups run in both cases; one that hangs for a minute
 * ends the process with 3.
 */
export async function runBench(
  timeoutS: number,
  body: (cleanups: Cleanups) => Promise<void>,
  whatIsLeft: () => string,
): Promise<never> {
  Runtime.install({ logger: new DefaultLogger("WARN") });
  const cleanups = new Cleanups();
  let ending = false;
  const finish = async (code: number): Promise<never> => {
    if (ending) return await new Promise<never>(() => {}); // the first caller cleans up and exits
    ending = true;
    clearTimeout(timer);
    setTimeout(() => {
      killServer();
      process.exit(3);
    }, 60_000).unref();
    await cleanups.runAll();
    killServer(); // gone already, unless its teardown failed
    process.exit(code);
  };
  const timer = setTimeout(() => {
    console.error(`\nbench: still running after the --timeout of ${timeoutS} s. ${whatIsLeft()}`);
    void finish(1);
  }, timeoutS * 1000);
  // Tearing the dev server down under result() calls still waiting (after a timeout) fails them here.
  process.on("uncaughtException", (error) => {
    if (ending) return;
    console.error("bench: uncaught", error);
    killServer();
    process.exit(1);
  });
  try {
    await body(cleanups);
    return await finish(0);
  } catch (error) {
    if (!ending) console.error("\nbench failed:", error); // (else: failed by the timeout's teardown)
    return await finish(1);
  }
}
