/**
 * What the benches share besides their servers: the command line, percentiles, CPU time from /proc,
 * and a run's frame (cleanups in reverse order whatever happens, an overall time limit).
 */
import { readdirSync, readFileSync } from "node:fs";

/** `--name N`, a number >= 0, or `fallback` when the option is not given. */
export function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(process.argv[i + 1]);
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
export const dist = (values: readonly number[]) =>
  `p50 ${ms(percentile(values, 50))}  p99 ${ms(percentile(values, 99))}  (n=${values.length})`;

/** CPU ms of this process, the dev server and the bench database's PostgreSQL backends. */
export type Cpu = { self: number; server: number; pg: number };
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
  const matches = (pid: string) => {
    try {
      return /^\d+$/.test(pid) && match(readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "));
    } catch {
      return false;
    }
  };
  return readdirSync("/proc").filter(matches).map(Number);
}

export function cpuNow(): Cpu {
  const { user, system } = process.cpuUsage();
  const { serverPid, database } = cpuSources;
  const pg = database ? findProcesses((c) => c.startsWith("postgres:") && c.includes(` ${database} `)) : [];
  return { self: (user + system) / 1000, server: serverPid ? procCpuMs(serverPid) : 0, pg: sum(pg.map(procCpuMs)) };
}
export const cpuSince = (a: Cpu, b = cpuNow()): Cpu => ({
  self: b.self - a.self,
  server: b.server - a.server,
  pg: b.pg - a.pg,
});

/** What to undo at the end, last added first; each runs once. */
export class Cleanups {
  private readonly steps: { what: string; run: () => unknown }[] = [];
  add(what: string, run: () => unknown): void {
    this.steps.unshift({ what, run });
  }
  async runAll(): Promise<void> {
    for (const { what, run } of this.steps.splice(0)) {
      await Promise.resolve()
        .then(run)
        .catch((error) => console.error(`cleanup "${what}" failed:`, error));
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
 * `timeoutS` (then printing `whatIsLeft()`). Cleanups run in both cases; one hanging for a minute exits 3.
 */
export async function runBench(timeoutS: number, body: (c: Cleanups) => Promise<void>, whatIsLeft: () => string) {
  const { DefaultLogger, Runtime } = await import("@temporalio/worker"); // not loaded by bench/render.ts
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
