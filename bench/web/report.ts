/** bench/web.ts's phases as they end, and its summary: a table and the goals. */
import { ms, percentile } from "../support/run.ts";
import { FLOORS, type FloorKind } from "./apps.ts";

/** The issue's goals: POST p50 and p99 (ms), POST p50 over a floor's p50, index page p99 (ms). */
const GOALS = { postP50: 30, postP99: 150, postRatio: 2, indexP99: 100 };

export interface Phase {
  what: string;
  kind: FloorKind | "post" | "index";
  users: number;
  /** Requests per second offered, for a paced run. */
  rate?: number;
  lat: number[];
  errors: number;
  rps: number;
  /** CPU ms per request of this process, the dev server, the PostgreSQL backends and the load generator. */
  cpu: number;
}
export const label = (p: Phase) =>
  `${p.what}, ${p.users === 1 ? "1 user" : `${p.users} users`}${p.rate ? ` paced ${p.rate}/s` : ""}`;

export function printPhase(p: Phase, wallMs: number, firstWrong?: string): void {
  console.log(
    `  ${label(p)}: ${p.lat.length} answers in ${(wallMs / 1000).toFixed(1)} s, ${p.rps.toFixed(1)}/s, ` +
      `${p.errors} errors; ` +
      `p50 ${ms(percentile(p.lat, 50))} p90 ${ms(percentile(p.lat, 90))} p99 ${ms(percentile(p.lat, 99))}; ` +
      `CPU per request ${ms(p.cpu)}` +
      (firstWrong ? `\n      first wrong answer: ${firstWrong}` : ""),
  );
}

/** The table of all phases, then the goals met or missed. */
export function summary(phases: readonly Phase[], users: number): void {
  const cell = (v: string, width = 9) => v.padStart(width);
  console.log(`\n=== bench/web.ts summary ===`);
  const header =
    `${"phase".padEnd(58)} ${cell("n", 6)} ${cell("req/s", 7)} ` +
    `${["p50", "p90", "p99", "max"].map((h) => cell(h)).join(" ")} ` +
    `${cell("err", 4)} ${cell("CPU/req")}`;
  console.log(`${header}\n${"-".repeat(header.length)}`);
  for (const p of phases) {
    console.log(
      `${label(p).padEnd(58)} ${cell(String(p.lat.length), 6)} ${cell(p.rps.toFixed(1), 7)} ` +
        `${[50, 90, 99, 100].map((q) => cell(ms(percentile(p.lat, q)))).join(" ")} ` +
        `${cell(String(p.errors), 4)} ${cell(ms(p.cpu))}`,
    );
  }
  console.log(`CPU/req: CPU time per request of this process + dev server + PostgreSQL backends + load generator.`);
  printGoals(phases, users);
}

function printGoals(phases: readonly Phase[], users: number): void {
  console.log(`\ngoals (the issue's: ${users} users, closed loop; paced runs for comparison)`);
  const goal = (text: string, ok: boolean) => console.log(`  ${text.padEnd(100)} ${ok ? "PASS" : "MISS"}`);
  const p50 = (p: Phase) => percentile(p.lat, 50);
  for (const post of phases.filter((p) => p.kind === "post" && p.users > 1)) {
    goal(`${label(post)}: p50 ${ms(p50(post))} <= ${GOALS.postP50} ms`, p50(post) <= GOALS.postP50);
    goal(
      `${label(post)}: p99 ${ms(percentile(post.lat, 99))} <= ${GOALS.postP99} ms`,
      percentile(post.lat, 99) <= GOALS.postP99,
    );
    for (const floor of phases.filter((p) => p.kind in FLOORS && p.users > 1 && p.rate === post.rate)) {
      const ratio = p50(post) / p50(floor);
      goal(
        `${label(post)}: p50 / ${floor.what} p50 (${ms(p50(floor))}) = ${ratio.toFixed(2)} <= ${GOALS.postRatio}`,
        ratio <= GOALS.postRatio,
      );
    }
  }
  for (const index of phases.filter((p) => p.kind === "index")) {
    goal(
      `${label(index)}: p99 ${ms(percentile(index.lat, 99))} <= ${GOALS.indexP99} ms`,
      percentile(index.lat, 99) <= GOALS.indexP99,
    );
  }
  console.log(
    `(closed loop: mean latency = users / throughput, so p50 <= ${GOALS.postP50} ms with ${users} users ` +
      `needs about ${(users / (GOALS.postP50 / 1000)).toFixed(0)} requests/s)`,
  );
}
