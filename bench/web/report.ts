/** bench/web.ts's phases as they end, and its summary: a table and the goals. */
import { ms, percentile } from "../support/run.ts";
import { FLOORS, type FloorKind } from "./apps.ts";

/** The issue's goals: POST p50 and p99 (ms), POST p50 over a floor's p50, index and inbox p99 (ms). */
const GOALS = { postP50: 30, postP99: 150, postRatio: 2, indexP99: 100, inboxP99: 100 };

export interface Phase {
  what: string;
  kind: FloorKind | "post" | "index" | "inbox";
  users: number;
  /** Requests per second offered, for a paced run. */
  rate?: number;
  lat: number[];
  errors: number;
  rps: number;
  /** CPU ms per request of this process, the dev server, the PostgreSQL backends and the load generator. */
  cpu: number;
}
const label = (p: Phase) =>
  `${p.what}, ${p.users === 1 ? "1 user" : `${p.users} users`}${p.rate ? ` paced ${p.rate}/s` : ""}`;
const at = (p: Phase, q: number) => percentile(p.lat, q);

export function printPhase(p: Phase, wallMs: number, firstWrong?: string): void {
  console.log(
    `  ${label(p)}: ${p.lat.length} answers in ${(wallMs / 1000).toFixed(1)} s, ${p.rps.toFixed(1)}/s, ` +
      `${p.errors} errors; p50 ${ms(at(p, 50))} p90 ${ms(at(p, 90))} p99 ${ms(at(p, 99))}; ` +
      `CPU per request ${ms(p.cpu)}` +
      (firstWrong ? `\n      first wrong answer: ${firstWrong}` : ""),
  );
}

/** The table's columns after the phase: heading, width, cell. */
const COLUMNS: [string, number, (p: Phase) => string][] = [
  ["n", 6, (p) => String(p.lat.length)],
  ["req/s", 7, (p) => p.rps.toFixed(1)],
  ...[50, 90, 99, 100].map((q): [string, number, (p: Phase) => string] => [
    q < 100 ? `p${q}` : "max",
    9,
    (p) => ms(at(p, q)),
  ]),
  ["err", 4, (p) => String(p.errors)],
  ["CPU/req", 9, (p) => ms(p.cpu)],
];

/** The table of all phases, then the goals met or missed. */
export function summary(phases: readonly Phase[], users: number): void {
  const row = (first: string, cells: string[]) =>
    [first.padEnd(58), ...cells.map((c, i) => c.padStart(COLUMNS[i]![1]))].join(" ");
  const header = row(
    "phase",
    COLUMNS.map(([heading]) => heading),
  );
  console.log(`\n=== bench/web.ts summary ===\n${header}\n${"-".repeat(header.length)}`);
  for (const p of phases)
    console.log(
      row(
        label(p),
        COLUMNS.map(([, , cell]) => cell(p)),
      ),
    );
  console.log(`CPU/req: CPU time per request of this process + dev server + PostgreSQL backends + load generator.`);

  console.log(`\ngoals (the issue's: ${users} users, closed loop; paced runs for comparison)`);
  const goal = (p: Phase, text: string, ok: boolean) =>
    console.log(`  ${`${label(p)}: ${text}`.padEnd(100)} ${ok ? "PASS" : "MISS"}`);
  const atMost = (p: Phase, q: number, limit: number) =>
    goal(p, `p${q} ${ms(at(p, q))} <= ${limit} ms`, at(p, q) <= limit);
  for (const post of phases.filter((p) => p.kind === "post" && p.users > 1)) {
    atMost(post, 50, GOALS.postP50);
    atMost(post, 99, GOALS.postP99);
    for (const floor of phases.filter((p) => p.kind in FLOORS && p.users > 1 && p.rate === post.rate)) {
      const ratio = at(post, 50) / at(floor, 50);
      const text = `p50 / ${floor.what} p50 (${ms(at(floor, 50))}) = ${ratio.toFixed(2)} <= ${GOALS.postRatio}`;
      goal(post, text, ratio <= GOALS.postRatio);
    }
  }
  for (const index of phases.filter((p) => p.kind === "index")) atMost(index, 99, GOALS.indexP99);
  for (const inbox of phases.filter((p) => p.kind === "inbox")) atMost(inbox, 99, GOALS.inboxP99);
  console.log(
    `(closed loop: mean latency = users / throughput, so p50 <= ${GOALS.postP50} ms with ${users} users ` +
      `needs about ${(users / (GOALS.postP50 / 1000)).toFixed(0)} requests/s)`,
  );
}
