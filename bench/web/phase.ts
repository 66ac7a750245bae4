/**
 * A phase: one kind of request at one load (1 user, saturating, or paced), measured with the CPU of
 * every process involved, the machine's load and this process's event-loop delay around it.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { type Cpu, cpuNow, loadAvg, machineNow, threadsNow } from "../support/cpu.ts";
import { num } from "../support/stats.ts";
import type { FLOOR_NAMES } from "./floor.ts";
import { type DbKind, options } from "./options.ts";

export type Mode = "solo" | "saturated" | "paced";

export interface Phase {
  /** What was measured, e.g. "POST ship form (PostgreSQL)". */
  what: string;
  mode: Mode;
  /** Users (requests in flight at most), and the paced rate. */
  users: number;
  rate?: number;
  kind: keyof typeof FLOOR_NAMES | "post" | "index";
  db?: DbKind;
  /** Latencies of the measured requests that succeeded (ms). */
  lat: number[];
  /** When each of them completed (ms since the phase began), and the phase's nominal length. */
  done: number[];
  windowMs: number;
  n: number;
  errors: number;
  errorSample?: string;
  wallMs: number;
  cpu: Cpu & { load: number };
  /** This process's CPU per request by thread (ms). */
  threads: Record<string, number>;
  /** The whole machine during the phase: busy share of all cores, the share our processes used, CPU pressure. */
  machine: { busy: number; ours: number; stalled: number };
  loop: { p50: number; p99: number; max: number };
  loadavg: string;
  /** Lines printed under the phase (profile, checks). */
  notes: string[];
}

export const label = (p: Phase) =>
  `${p.what}, ${p.mode === "solo" ? "1 user" : p.mode === "paced" ? `${p.users} users paced ${num(p.rate!, 0)}/s` : `${p.users} users`}`;

/** Successful requests per second, counting those completed within the phase's window (not late stragglers). */
export const okRate = (p: Phase) => {
  const window = Math.min(p.wallMs, p.windowMs);
  return p.done.filter((t) => t <= window + 1).length / (window / 1000);
};

/** The paced rate for a phase whose saturating run managed `saturated` per second. */
export function pacedRate(saturated: number): number {
  return options.rate ?? Math.max(1, Math.min(options.concurrency, Math.floor(saturated / 2)));
}

const loopDelay = monitorEventLoopDelay({ resolution: 5 });

/** Measures `body` (n requests; `loadCpu`: the load generator's CPU) with CPU, machine load and event-loop delay around it. */
export async function measured<T extends { n: number; wallMs: number; loadCpu?: number }>(body: () => Promise<T>) {
  loopDelay.reset();
  loopDelay.enable();
  // Own CPU time first at both ends: the /proc scan at the start counts in the window, as it always did here.
  const cpu0 = cpuNow("own first");
  const threads0 = threadsNow();
  const machine0 = machineNow();
  const w0 = performance.now();
  const t = await body();
  const wall = performance.now() - w0;
  const machine1 = machineNow();
  const threads1 = threadsNow();
  const cpu1 = cpuNow("own first");
  loopDelay.disable();
  const per = (v: number) => v / Math.max(1, t.n);
  const available = machine1.total - machine0.total;
  const ours = cpu1.self - cpu0.self + cpu1.server - cpu0.server + cpu1.pg - cpu0.pg + (t.loadCpu ?? 0);
  const threads: Record<string, number> = {};
  for (const [name, v] of threads1) threads[name] = per(v - (threads0.get(name) ?? 0));
  return {
    result: t,
    threads,
    machine: {
      busy: (machine1.busy - machine0.busy) / available, ours: ours / available,
      stalled: (machine1.stallUs - machine0.stallUs) / 1000 / wall,
    },
    cpu: { self: per(cpu1.self - cpu0.self), server: per(cpu1.server - cpu0.server), pg: per(cpu1.pg - cpu0.pg), load: per(t.loadCpu ?? 0) },
    loop: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  };
}

/** The phase of a measured run: `fields` and what measured() saw, with the load average now. */
type Measures = "cpu" | "threads" | "machine" | "loop";
export function phaseOf(m: Pick<Phase, Measures>, fields: Omit<Phase, Measures | "loadavg">): Phase {
  return { ...fields, cpu: m.cpu, threads: m.threads, machine: m.machine, loop: m.loop, loadavg: loadAvg() };
}

/** Runs `count` jobs `concurrency` at a time. */
export async function runConcurrently<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      out[i] = await job(i);
    }
  }));
  return out;
}

/** Lets the machine calm down a little between phases. */
export async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000));
}
