/** Printing: a phase as it ends, and the summary table, the goals and what a closed loop needs. */
import { loadAvg } from "../support/cpu.ts";
import { dist, ms, pct, percentile } from "../support/stats.ts";
import { FLOOR_KINDS, FLOOR_NAMES } from "./floor.ts";
import { GOALS, options } from "./options.ts";
import { label, type Mode, okRate, type Phase } from "./phase.ts";

export function printPhase(p: Phase): void {
  console.log(`  ${label(p)}: ${p.n} requests in ${(p.wallMs / 1000).toFixed(1)} s, ${okRate(p).toFixed(1)}/s, ${p.errors} errors; ${dist(p.lat)}`);
  if (p.errorSample) console.log(`      first error: ${p.errorSample.slice(0, 300)}`);
  console.log(`      CPU per request: this process ${ms(p.cpu.self)}, dev server ${ms(p.cpu.server)}, PostgreSQL backends ${ms(p.cpu.pg)}` +
    `${p.cpu.load ? `, load generator ${ms(p.cpu.load)}` : ""}; this process's event-loop delay p50 ${ms(p.loop.p50)} p99 ${ms(p.loop.p99)} ` +
    `max ${ms(p.loop.max)}`);
  console.log(`      this process's CPU per request by thread: ${busiestThreads(p.threads).map(([k, v]) => `${k} ${ms(v)}`).join(", ")}`);
  console.log(`      machine: ${pct(p.machine.busy)} of both cores busy, ${pct(p.machine.ours)} by this benchmark's processes, ` +
    `${pct(p.machine.busy - p.machine.ours)} by others; CPU pressure (some task waiting for a core) ${pct(p.machine.stalled)} of the time; load average ${p.loadavg}`);
  for (const note of p.notes) console.log(`      ${note}`);
}

/** The busiest threads one by one (the workflow threads are "node" worker threads), the rest by name. */
function busiestThreads(threads: Record<string, number>): (readonly [string, number])[] {
  const sorted = Object.entries(threads).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const rest = new Map<string, number>();
  for (const [k, v] of sorted.slice(4)) rest.set(k.replace(/#\d+$/, ""), (rest.get(k.replace(/#\d+$/, "")) ?? 0) + v);
  return [...sorted.slice(0, 4), ...[...rest].map(([k, v]) => [`other ${k}`, v] as const)].filter(([, v]) => v >= 0.05);
}

const cpuPerRequest = (p: Phase) => p.cpu.self + p.cpu.server + p.cpu.pg + p.cpu.load;

export function summary(phases: readonly Phase[]): void {
  console.log(`\n=== bench/web.ts summary (2 cores, shared; load average now ${loadAvg()}) ===`);
  printTable(phases);
  printGoals(phases);
  printClosedLoop(phases);
}

function printTable(phases: readonly Phase[]): void {
  const header = `${"phase".padEnd(58)} ${"n".padStart(6)} ${"req/s".padStart(7)} ${"p50".padStart(9)} ${"p90".padStart(9)} ` +
    `${"p99".padStart(9)} ${"max".padStart(9)} ${"err".padStart(4)} ${"CPU/req".padStart(8)} ${"others".padStart(7)} ${"stall".padStart(6)}`;
  console.log(header);
  console.log("-".repeat(header.length));
  for (const p of phases) {
    console.log(`${label(p).padEnd(58)} ${String(p.n).padStart(6)} ${okRate(p).toFixed(1).padStart(7)} ${ms(percentile(p.lat, 50)).padStart(9)} ` +
      `${ms(percentile(p.lat, 90)).padStart(9)} ${ms(percentile(p.lat, 99)).padStart(9)} ${ms(p.lat.length ? Math.max(...p.lat) : NaN).padStart(9)} ` +
      `${String(p.errors).padStart(4)} ${ms(cpuPerRequest(p)).padStart(8)} ${pct(p.machine.busy - p.machine.ours).padStart(7)} ${pct(p.machine.stalled).padStart(6)}`);
  }
  console.log(`CPU/req: CPU time per request of this process + dev server + PostgreSQL backends + load generator; others: share of both ` +
    `cores used by processes not of this benchmark; stall: CPU pressure (some task waiting for a core).`);
}

function printGoals(phases: readonly Phase[]): void {
  const floor = (kind: Phase["kind"], mode: Mode) => phases.find((p) => p.kind === kind && p.mode === mode);
  console.log(`\ngoals (the issue's: ${options.concurrency} users, closed loop; paced runs for comparison)`);
  const goal = (text: string, ok: boolean) => console.log(`  ${text.padEnd(96)} ${ok ? "PASS" : "MISS"}`);
  for (const post of phases.filter((p) => p.kind === "post" && p.mode !== "solo")) {
    const p50 = percentile(post.lat, 50);
    const p99 = percentile(post.lat, 99);
    goal(`${label(post)}: p50 ${ms(p50)} <= ${GOALS.postP50} ms`, p50 <= GOALS.postP50);
    goal(`${label(post)}: p99 ${ms(p99)} <= ${GOALS.postP99} ms`, p99 <= GOALS.postP99);
    for (const kind of FLOOR_KINDS) {
      const f = floor(kind, post.mode);
      if (!f) continue;
      const ratio = p50 / percentile(f.lat, 50);
      goal(`${label(post)}: p50 / ${FLOOR_NAMES[kind][1]} p50 (${ms(percentile(f.lat, 50))}) = ${ratio.toFixed(2)} <= ${GOALS.postRatio}`, ratio <= GOALS.postRatio);
    }
  }
  for (const index of phases.filter((p) => p.kind === "index")) {
    const p99 = percentile(index.lat, 99);
    goal(`${label(index)}: p99 ${ms(p99)} <= ${GOALS.indexP99} ms`, p99 <= GOALS.indexP99);
  }
}

/**
 * With users in a closed loop the latency is users / throughput (Little's law), so the saturated goals are
 * throughput goals: say what each kind would need, and what its CPU per request allows on this machine.
 */
function printClosedLoop(phases: readonly Phase[]): void {
  const users = options.concurrency;
  const needed = users / (GOALS.postP50 / 1000);
  console.log(`\nclosed loop: mean latency = ${users} users / throughput, so p50 <= ${GOALS.postP50} ms needs about ${needed.toFixed(0)} requests/s, ` +
    `i.e. <= ${(2000 / needed).toFixed(1)} ms of CPU per request on 2 cores (load generator included). CPU per request measured:`);
  for (const p of phases.filter((x) => x.mode === "saturated")) {
    const cpu = cpuPerRequest(p);
    console.log(`  ${label(p).padEnd(58)} ${ms(cpu).padStart(9)}  -> at most ~${(2000 / cpu).toFixed(0)}/s on 2 free cores`);
  }
}
