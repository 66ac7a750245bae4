/** The engine bench's summary: wall-time and CPU ratios joeflow/baseline, stalls, one instance alone. */
import { dist, median, ms, sec, sum } from "../support/stats.ts";
import { stepIntervals } from "./meter.ts";
import { options, type Side, SIDES } from "./options.ts";
import { type RunResult, stallReports } from "./runs.ts";

/** The wall-time ratio joeflow/baseline over all concurrent rounds must stay at or under this. */
const GOAL_RATIO = 1.15;

type BySide = Record<Side, RunResult[]>;

export function printSummary(rounds: BySide, solo: BySide, pgVersion: string): void {
  console.log(`\n=== summary (${options.instances} instances x ${options.steps} steps; dev server + PostgreSQL ${pgVersion}) ===`);
  if (options.rounds > 0) {
    printWallRatios(rounds);
    printRoundsCpu(rounds);
  }
  console.log(stallReports.length === 0 ? "stalled runs: none"
    : `stalled runs, repeated with new instances (a lost activity task waits for the 10-minute start-to-close timeout):\n  ${stallReports.join("\n  ")}`);
  if (options.solo > 0) printSoloCpu(solo);
  for (const side of SIDES) {
    const steps = stepIntervals(solo[side].flatMap((r) => r.ids));
    const total = solo[side].map((r) => r.totalMs[0]!);
    console.log(`one instance alone, ${side.padEnd(8)}: per step ${dist(steps, [50, 99])}; start->done ${ms(median(total))} (median of ${options.solo})`);
  }
}

function printWallRatios(rounds: BySide): void {
  for (let i = 0; i < options.rounds; i++) {
    const b = rounds.baseline[i]!.wallMs;
    const j = rounds.joeflow[i]!.wallMs;
    console.log(`round ${i + 1}: baseline ${sec(b)}  joeflow ${sec(j)}  ratio joeflow/baseline ${(j / b).toFixed(3)}`);
  }
  const wall = (side: Side) => sum(rounds[side].map((r) => r.wallMs));
  const ratio = wall("joeflow") / wall("baseline");
  console.log(`all rounds: baseline ${sec(wall("baseline"))}  joeflow ${sec(wall("joeflow"))}  ` +
    `ratio ${ratio.toFixed(3)} (goal <= ${GOAL_RATIO}: ${ratio <= GOAL_RATIO ? "met" : "NOT met"})`);
}

/** CPU per instance over all rounds: this process, the dev server, the PostgreSQL backends. */
function printRoundsCpu(rounds: BySide): void {
  const perInstance = (values: number[]) => sum(values) / (options.rounds * options.instances);
  const cpu = (side: Side, k: "self" | "server" | "pg") => perInstance(rounds[side].map((r) => r.cpu![k]));
  const total = (side: Side) => cpu(side, "self") + cpu(side, "server") + cpu(side, "pg");
  for (const side of SIDES) {
    const stmts = perInstance(rounds[side].map((r) => r.sql!.count));
    console.log(`CPU per instance, ${side.padEnd(8)}: this process ${ms(cpu(side, "self"))}, dev server ${ms(cpu(side, "server"))}, ` +
      `PostgreSQL ${ms(cpu(side, "pg"))}, total ${ms(total(side))}; SQL statements ${stmts.toFixed(1)}`);
  }
  const ratio = (k: "self" | "server" | "pg") => (cpu("joeflow", k) / cpu("baseline", k)).toFixed(2);
  console.log(`CPU ratio joeflow/baseline: ${(total("joeflow") / total("baseline")).toFixed(3)} ` +
    `(this process ${ratio("self")}, dev server ${ratio("server")}, PostgreSQL ${ratio("pg")})`);
}

/** CPU of one instance alone, split in this process between activities and the rest. */
function printSoloCpu(solo: BySide): void {
  for (const side of SIDES) {
    const perRun = (values: number[]) => sum(values) / options.solo;
    const self = perRun(solo[side].map((r) => r.cpu!.self));
    const inActivities = perRun(solo[side].map((r) => r.activityCpuMs!));
    console.log(`one instance alone, CPU, ${side.padEnd(8)}: this process ${ms(self)} (in activities ${ms(inActivities)}, ` +
      `outside them: workflow tasks, client, SDK ${ms(self - inActivities)}), dev server ${
        ms(perRun(solo[side].map((r) => r.cpu!.server)))}, PostgreSQL ${ms(perRun(solo[side].map((r) => r.cpu!.pg)))}`);
  }
}
