/**
 * CPU time from /proc (Linux): of this process and its threads, of the dev server, of the PostgreSQL
 * backends serving the bench's database, and of the whole machine. Process CPU time holds up better
 * than wall time on a busy machine.
 */
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU ms of this process; the others are in Cpu.server and Cpu.pg. */
export interface Cpu { self: number; server: number; pg: number }

/** The processes counted besides this one: set once the dev server runs and the database exists. */
export const cpuSources = { serverPid: undefined as number | undefined, database: "" };

/** utime + stime of a process (0 once it is gone). */
function procCpuMs(pid: number): number {
  try {
    return statCpuMs(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return 0;
  }
}

/** utime + stime from a /proc stat line; the fields are counted after the command's ")" (it may hold spaces). */
function statCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

export function processes(): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      out.push({ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ") });
    } catch { /* gone */ }
  }
  return out;
}

/**
 * CPU time so far of this process, the dev server and our PostgreSQL backends. The scan of /proc
 * costs this process a few ms; "others first" leaves it out of a window that starts here, "own
 * first" out of one that ends here.
 */
export function cpuNow(order: "others first" | "own first"): Cpu {
  if (order === "others first") {
    const others = othersNow();
    return { self: ownNow(), ...others };
  }
  const self = ownNow();
  return { self, ...othersNow() };
}

function ownNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function othersNow(): { server: number; pg: number } {
  const pg = cpuSources.database
    ? processes().filter((p) => p.cmdline.startsWith("postgres:") && p.cmdline.includes(` ${cpuSources.database} `))
      .reduce((total, p) => total + procCpuMs(p.pid), 0)
    : 0;
  return { pg, server: cpuSources.serverPid ? procCpuMs(cpuSources.serverPid) : 0 };
}

/** CPU ms of this process's threads: the main (JavaScript) thread, and the others by name. */
export function threadsNow(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const key = Number(tid) === process.pid ? "main JS thread" : `${comm}#${tid}`;
      out.set(key, (out.get(key) ?? 0) + statCpuMs(stat));
    } catch { /* gone */ }
  }
  return out;
}

/** Machine-wide: CPU ms busy and available (all cores) from /proc/stat, and the CPU pressure stall total (µs). */
export function machineNow(): { busy: number; total: number; stallUs: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  let stallUs = NaN;
  try {
    stallUs = Number(/some .*total=(\d+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"))?.[1] ?? NaN);
  } catch { /* no PSI */ }
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS, stallUs };
}

export const loadAvg = () => loadavg().map((l) => l.toFixed(1)).join(" ");
