/**
 * The engine benchmark (issue 2, "Benchmark"): joeflow against a hand-written Temporal workflow
 * doing the same activities with the same database writes, on the Temporal CLI dev server and a
 * real PostgreSQL, both in this process, loopback only.
 *
 *   npx tsx bench/engine.ts [--instances 200] [--steps 10] [--rounds 2] [--solo 5] [--warmup 20]
 *                           [--pool 20] [--timeout 900] [--stall 120] [--retries 2] [--memory] [--profile]
 *                           [--activity-slots N] [--wft-slots N]
 *
 * --rounds N   N alternating pairs (baseline, joeflow) of --instances concurrent instances each
 * --solo N     N alternating single instances per side for the per-step latency of one instance
 * --retries N  repeat a stalled run up to N times with new instances (2), terminating the stuck ones
 * --stall S    give up (describing what is stuck) when nothing moved for S seconds (120)
 * --activity-slots N, --wft-slots N   worker concurrency for both sides (SDK defaults: 100, 40)
 * --profile    CPU-profile this process during the solo runs, by package and function (workers in
 *              debugMode, so the workflow code runs in the main thread and is profiled too)
 * --memory     the dev server keeps its SQLite store in memory (default: a temporary file, WAL, synchronous=OFF)
 * PostgreSQL: $JOEFLOW_BENCH_PG_URL if set; else the bench's own server, started with
 * scripts/test-postgres.sh on port 54339 in .data/bench-postgres and stopped at the end (left running
 * if it was already up). Not the tests' server on 54329: others start and stop it meanwhile.
 * Each run uses a fresh database joeflow_bench_<timestamp>, dropped at the end.
 *
 * The pieces are in bench/engine/ (the two sides' workers, runs, stall detection, profile, summary)
 * and bench/support/ (shared with bench/web.ts).
 */
import { sql } from "kysely";
import { printStepBreakdown } from "./engine/history.ts";
import { countSql } from "./engine/meter.ts";
import { options, type Side, SIDES, workerTuning } from "./engine/options.ts";
import { printProfile, startProfile, stopProfile } from "./engine/profiler.ts";
import { type Rig, run, type RunResult, soloRun } from "./engine/runs.ts";
import { printSummary } from "./engine/summary.ts";
import { startWorkers } from "./engine/workers.ts";
import { type Cleanups, runBench } from "./support/lifecycle.ts";
import { openBenchDatabase } from "./support/postgres.ts";
import { sec } from "./support/stats.ts";
import { startDevServer } from "./support/temporal.ts";

async function bench(cleanups: Cleanups): Promise<void> {
  console.log(`bench/engine.ts: ${options.instances} instances x ${options.steps} machine steps, ${options.rounds} alternating rounds, ` +
    `${options.solo} solo runs per side; workers: ${JSON.stringify(workerTuning)} (SDK defaults otherwise)`);
  const { pool, db, version } = await openBenchDatabase(
    { port: 54339, dir: ".data/bench-postgres", testServerFirst: false },
    { prefix: "joeflow_bench", poolSize: options.pool, log: countSql },
    cleanups,
  );
  const server = await startDevServer({ memory: options.memory, synchronous: "OFF", filePrefix: "joeflow-bench" }, cleanups);
  console.log(`Temporal dev server up in ${sec(server.upMs)} (SQLite ${server.dbFile ?? "in memory"}, WAL, synchronous=OFF)`);
  const { env } = server;
  const { joeflow, chain } = await startWorkers(env.nativeConnection, env.client, db, options.steps, cleanups);
  const rig: Rig = { client: env.client, db, pool, joeflow, chain };

  // Warm-up: both sides, so neither pays for cold caches, JIT or a cold SQLite file.
  console.log(`\nwarm-up (${options.warmup} instances per side)`);
  if (options.warmup > 0) for (const side of SIDES) await run(rig, side, options.warmup, "warm-up");
  await sql`analyze`.execute(db);

  const solo = await soloRuns(rig);
  if (options.profile) printProfile(options.solo);

  console.log(`\nconcurrent: ${options.instances} instances at once`);
  const rounds: Record<Side, RunResult[]> = { joeflow: [], baseline: [] };
  for (let i = 1; i <= options.rounds; i++) {
    for (const side of SIDES) rounds[side].push(await run(rig, side, options.instances, `round ${i}`));
  }

  await printStepBreakdown(env.client, solo);
  printSummary(rounds, solo, version);
}

/** One instance at a time, alternating sides: the per-step latency of an instance alone. */
async function soloRuns(rig: Rig): Promise<Record<Side, RunResult[]>> {
  console.log(`\nsolo: one instance at a time, ${options.solo} per side, alternating`);
  const solo: Record<Side, RunResult[]> = { joeflow: [], baseline: [] };
  for (let i = 0; i < options.solo; i++) {
    for (const side of SIDES) {
      solo[side].push(await soloRun(rig, side, options.profile ? { before: startProfile, after: () => stopProfile(side) } : undefined));
    }
  }
  return solo;
}

process.exit(await runBench({ timeoutS: options.timeoutS, graceS: 60 }, bench));
