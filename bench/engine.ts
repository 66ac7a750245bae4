/**
 * The engine benchmark: joeflow against a hand-written Temporal workflow doing the same activities
 * with the same database writes, on the Temporal CLI dev server and PostgreSQL, workers in this
 * process. See bench/README.md.
 *
 *   npx tsx bench/engine.ts [--instances 200] [--steps 10] [--rounds 2] [--solo 5] [--warmup 20]
 *     [--timeout 900] [--memory] [--vs joeflow-py] [--fanout]
 */
import { sql } from "kysely";
import { type Cpu, cpuNow, cpuSince, dist, flag, ms, option, percentile, runBench, sec, sum } from "./support/run.ts";
import { openDatabase, startDevServer } from "./support/servers.ts";
import { type Side, SIDES, startSides, stepIntervals, unfinished, verify } from "./engine/sides.ts";
import { fanoutTable } from "./engine/fanout.ts";
import { type PyRun, startJoeflowPy } from "./engine/vs-joeflow-py.ts";

const [instances, steps, rounds] = [option("instances", 200), Math.max(1, option("steps", 10)), option("rounds", 2)];
const [solo, warmup] = [option("solo", 5), option("warmup", 20)];
/** `--vs joeflow-py`: the original's bench.py round before each of ours, on the same PostgreSQL server. */
const vsPy = process.argv[process.argv.indexOf("--vs") + 1] === "joeflow-py" && process.argv.includes("--vs");
/** The wall-time ratio joeflow/baseline over all concurrent rounds must stay at or under this. */
const GOAL_RATIO = 1.15;

type Run = { wallMs: number; ids: string[]; totalMs: number[]; cpu: Cpu; sql: number };
type BySide = Record<Side, Run[]>;
let statements = 0; // every statement Kysely runs, BEGIN and COMMIT included
const countStatement = () => void statements++;

await runBench(
  option("timeout", 900),
  async (cleanups) => {
    console.log(
      `bench/engine.ts: ${instances} instances x ${steps} machine steps, ${rounds} alternating rounds, ` +
        `${solo} solo runs per side`,
    );
    const py = vsPy ? await startJoeflowPy(cleanups) : undefined;
    if (py) process.env.JOEFLOW_BENCH_PG_URL = py.pgUrl; // the same server and settings for both
    const pyRuns: PyRun[] = [];
    const { db, version } = await openDatabase(".data/bench-postgres", "joeflow_bench", cleanups, countStatement);
    const server = await startDevServer(flag("memory"), "OFF", cleanups);
    const sides = await startSides(server, db, steps, cleanups);

    /** n instances of a side at once, checked in the database. */
    const run = async (side: Side, n: number): Promise<Run> => {
      const [cpu0, sql0, t0] = [cpuNow(), statements, performance.now()];
      const one = async () => ({ id: await sides[side](), ms: performance.now() - t0 });
      const done = await Promise.all(Array.from({ length: n }, one));
      const [wallMs, cpu, count] = [performance.now() - t0, cpuSince(cpu0), statements - sql0];
      const [ids, totalMs] = [done.map((d) => d.id), done.map((d) => d.ms)];
      await verify(db, side, ids, steps); // after the measurement
      return { wallMs, ids, totalMs, cpu, sql: count };
    };
    const print = (label: string, side: Side, r: Run, n: number) => {
      const perSec = ((n * (steps + 1)) / (r.wallMs / 1000)).toFixed(0);
      console.log(
        `  ${label} ${side.padEnd(8)} wall ${sec(r.wallMs)} (${perSec} activities/s); ` +
          `start->done ${dist(r.totalMs)}; step->step ${dist(stepIntervals(r.ids))}\n` +
          `      CPU per instance: this process ${ms(r.cpu.self / n)}, dev server ${ms(r.cpu.server / n)}, ` +
          `PostgreSQL backends ${ms(r.cpu.pg / n)}; SQL statements per instance ${(r.sql / n).toFixed(1)}`,
      );
    };

    // Both sides warm up, so neither pays for cold caches, the JIT or a cold SQLite file.
    console.log(`\nwarm-up: ${warmup} instances per side`);
    if (warmup > 0) for (const side of SIDES) print("warm-up", side, await run(side, warmup), warmup);
    await sql`analyze`.execute(db);

    console.log(`\nsolo: one instance at a time, ${solo} per side, alternating`);
    const alone: BySide = { baseline: [], joeflow: [] };
    for (let i = 0; i < solo; i++) for (const side of SIDES) alone[side].push(await run(side, 1));

    console.log(`\nconcurrent: ${instances} instances at once, ${rounds} rounds`);
    const concurrent: BySide = { baseline: [], joeflow: [] };
    for (let i = 1; i <= rounds; i++) {
      // Its own warm-up and solo runs the first time; each round beside one of ours, so both see the same load.
      const pyArgs = [
        "--instances",
        instances,
        "--rounds",
        1,
        "--warmup",
        i === 1 ? warmup : 5,
        "--solo",
        i === 1 ? 10 : 0,
      ];
      if (py) pyRuns.push(await py.run(["--runner", "dramatiq", ...pyArgs.map(String)]));
      for (const side of SIDES) {
        concurrent[side].push(await run(side, instances));
        print(`round ${i}`, side, concurrent[side].at(-1)!, instances);
      }
    }
    summary(concurrent, alone, version);
    if (flag("fanout")) await fanoutTable(server, db, option("fanout-runs", 3), cleanups);
    if (py) vsSummary(concurrent.joeflow, alone.joeflow, pyRuns); // its last line is the one the issue asks for
  },
  () =>
    unfinished.size
      ? `Not done: ${unfinished.size} instances, e.g. ${[...unfinished].slice(0, 5).join(", ")}`
      : "No instance was running.",
);

function summary(concurrent: BySide, alone: BySide, pgVersion: string): void {
  console.log(`\n=== summary (${instances} instances x ${steps} steps; dev server + PostgreSQL ${pgVersion}) ===`);
  if (rounds > 0 && instances > 0) {
    const wall = (side: Side, i?: number) =>
      sum(concurrent[side].filter((_, k) => i === undefined || k === i).map((r) => r.wallMs));
    const walls = (i?: number) => `baseline ${sec(wall("baseline", i))}  joeflow ${sec(wall("joeflow", i))}  ratio`;
    const ratio = (i?: number) => wall("joeflow", i) / wall("baseline", i);
    for (let i = 0; i < rounds; i++) console.log(`round ${i + 1}: ${walls(i)} joeflow/baseline ${ratio(i).toFixed(3)}`);
    const met = ratio() <= GOAL_RATIO ? "met" : "NOT met";
    console.log(`all rounds: ${walls()} ${ratio().toFixed(3)} (goal <= ${GOAL_RATIO}: ${met})`);

    const perInstance = (side: Side, f: (r: Run) => number) => sum(concurrent[side].map(f)) / (rounds * instances);
    const cpu = (side: Side, k?: keyof Cpu) =>
      perInstance(side, (r) => (k ? r.cpu[k] : r.cpu.self + r.cpu.server + r.cpu.pg));
    for (const side of SIDES) {
      console.log(
        `CPU per instance, ${side.padEnd(8)}: this process ${ms(cpu(side, "self"))}, ` +
          `dev server ${ms(cpu(side, "server"))}, PostgreSQL ${ms(cpu(side, "pg"))}, total ${ms(cpu(side))}; ` +
          `SQL statements ${perInstance(side, (r) => r.sql).toFixed(1)}`,
      );
    }
    const cpuRatio = (k?: keyof Cpu) => (cpu("joeflow", k) / cpu("baseline", k)).toFixed(k ? 2 : 3);
    console.log(
      `CPU ratio joeflow/baseline: ${cpuRatio()} ` +
        `(this process ${cpuRatio("self")}, dev server ${cpuRatio("server")}, PostgreSQL ${cpuRatio("pg")})`,
    );
  }
  for (const side of SIDES) {
    const total = alone[side].map((r) => r.wallMs);
    console.log(
      `one instance alone, ${side.padEnd(8)}: per step ${dist(stepIntervals(alone[side].flatMap((r) => r.ids)))}; ` +
        `start->done ${ms(percentile(total, 50))} (median of ${total.length})`,
    );
  }
}

/** Both sides per round, then the line the issue asks for: ours over theirs. */
function vsSummary(ours: readonly Run[], alone: readonly Run[], theirs: readonly PyRun[]): void {
  const pyRounds = theirs.flatMap((r) => r.rounds);
  const perRound = instances * steps;
  console.log(
    `\n=== vs joeflow-py (Dramatiq; joeflow ${theirs[0]?.versions.joeflow}, Django ${theirs[0]?.versions.django}) ===`,
  );
  for (let i = 0; i < rounds; i++) {
    const [o, t] = [ours[i]!, pyRounds[i]!];
    const oCpu = (o.cpu.self + o.cpu.server + o.cpu.pg) / perRound;
    console.log(
      `round ${i + 1}: joeflow-ts ${sec(o.wallMs)}, ${(perRound / (o.wallMs / 1000)).toFixed(0)} steps/s, ` +
        `${oCpu.toFixed(1)} ms CPU/step | joeflow-py ${t.wall_s.toFixed(2)} s, ${t.steps_per_s.toFixed(0)} steps/s, ` +
        `${t.cpu_ms_per_step.toFixed(1)} ms CPU/step`,
    );
  }
  const oursPerS = (rounds * perRound) / (sum(ours.map((r) => r.wallMs)) / 1000);
  const theirsPerS = (rounds * perRound) / sum(pyRounds.map((r) => r.wall_s));
  const oursCpu = sum(ours.map((r) => r.cpu.self + r.cpu.server + r.cpu.pg)) / (rounds * perRound);
  const theirsCpu = (sum(pyRounds.map((r) => r.cpu_total_s)) * 1000) / (rounds * perRound);
  const solo = theirs[0]?.solo_step_ms;
  const oursSolo = stepIntervals(alone.flatMap((r) => r.ids));
  const p50p99 = (p50: number, p99: number) => `${ms(p50)} / ${ms(p99)}`;
  console.log(
    `one instance alone, per step p50/p99: joeflow-ts ${p50p99(percentile(oursSolo, 50), percentile(oursSolo, 99))}` +
      `, joeflow-py ${solo ? p50p99(solo.p50, solo.p99) : "n/a"}`,
  );
  const [stepsRatio, cpuRatio] = [(oursPerS / theirsPerS).toFixed(2), (oursCpu / theirsCpu).toFixed(2)];
  console.log(`vs joeflow-py: steps/s ratio ${stepsRatio}, CPU per step ratio ${cpuRatio}`);
}
