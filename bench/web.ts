/**
 * The web benchmark (issue 3, "Benchmark (bench/)"): form submissions against the demo's web app, beside a
 * bare Temporal update round trip on the same dev server in the same run (the floor), and the index page
 * with 10,000 instances in PostgreSQL. Loopback only, bounded in time, everything torn down at the end.
 *
 *   npx tsx bench/web.ts [--seconds 10] [--concurrency 20] [--warmup 40] [--solo 20] [--max 3000] [--rate N]
 *                        [--instances 10000] [--index-seconds 5] [--pool 20] [--post-db postgres,pglite]
 *                        [--request-timeout 60] [--sync NORMAL] [--memory] [--profile] [--timeout 900]
 *
 * What runs, all in this one process as in the demo (examples/serve.ts, examples/embedded.ts): the Temporal
 * CLI dev server (`TestWorkflowEnvironment.createLocal`, SQLite in a temporary file, WAL, synchronous=NORMAL
 * as the demo; --sync OFF, or --memory), a joeflow worker and the web app (`createWebApp` with the demo's
 * sign-in, web/node.ts on 127.0.0.1:0) per database, and a floor worker (bench/web/floor-workflow.ts). The
 * simulated users run in a child process (bench/web/load-generator.ts) so they do not share the server's event loop;
 * they never retry and never follow the redirect.
 *
 * Phases. Each kind gets `--warmup` requests first (not counted), then `--solo` requests from 1 user, then
 * `--seconds` with `--concurrency` users in a closed loop (each sends its next request when the previous one
 * answered, as autocannon does: this is the issue's setup, and it saturates the machine, so latency there is
 * mostly queueing: users / throughput), then, after all kinds ran saturated, `--seconds` paced at one common
 * rate (`--rate`, default half the slower POST's saturated throughput, at most 1 per user per second) so the
 * kinds compare at the same offered load.
 *  - floor, bare update: one workflow per user takes its updates one after another; the handler returns;
 *  - floor, update + activity: the handler awaits one trivial activity (the interpreter's activity options);
 *  - floor, update + activity + PG tx: the activity runs a small PostgreSQL transaction (lock, update, insert);
 *  - floor, update + local activity + PG tx: the same transaction as a local activity (what joeflow's
 *    completeHuman would cost as one);
 *  - POST /shipping/ship/{taskId}/ (trackingCode) on PostgreSQL and on PGlite (the demo's own database;
 *    `--post-db` picks): one shipping order pre-created per request (its `ship` task open), signed in as
 *    "warehouse", CSRF cookie + `_csrf` field; every answer must be 303 to /shipping/{id}/, checked again in
 *    the tables after; then the instances must finish (hasEmail, end);
 *  - the index: `--instances` instances written straight into the tables (bench/web/index-data.ts), then GET
 *    `/`, `/?name=shipping&status=running`, the second page of each via its "Older instances" cursor, and a
 *    page in the middle, `--index-seconds` each (and `/` paced); then EXPLAIN ANALYZE of the list queries.
 *
 * Where a POST's time goes: the Hono handler is timed in-process (a wrapper around `app.fetch`) and within it,
 * through AsyncLocalStorage, the SQL the request ran (Kysely's log), the joeflow client calls and Temporal's
 * `executeUpdate`; the worker's activities are timed by an interceptor (with their own SQL); histories give
 * the server-side steps of the update (workflow task, activity queue and run, workflow task). Per phase: CPU
 * per request of this process (by thread), the dev server, the PostgreSQL backends and the load generator,
 * the event-loop delay, and how busy the machine was and with whom (others' share, CPU pressure).
 * `--profile` adds a CPU profile of the main thread during the saturated POSTs on PostgreSQL.
 *
 * PostgreSQL: $JOEFLOW_BENCH_PG_URL if set; else the test server of scripts/test-postgres.sh if it runs
 * (left running); else the bench's own, started with that script on port 54349 in .data/bench-web-postgres
 * (stopped at the end; left running if it was already up). Each run creates joeflow_bench_web_<timestamp>
 * and drops it.
 *
 * The pieces are in bench/web/ (one module per kind of phase, tracing, the load generator, printing) and
 * bench/support/ (shared with bench/engine.ts).
 */
import type { Client } from "@temporalio/client";
import type { Kysely } from "kysely";
import type { JoeflowDatabase } from "../src/store/schema.ts";
import { loadAvg } from "./support/cpu.ts";
import { type Cleanups, runBench } from "./support/lifecycle.ts";
import { openBenchDatabase } from "./support/postgres.ts";
import { startDevServer } from "./support/temporal.ts";
import { type Floor, FLOOR_KINDS, FLOOR_NAMES, floorRun, floorSetup, floorStop, startFloorWorker } from "./web/floor.ts";
import { indexPhases } from "./web/index-pages.ts";
import { Load } from "./web/load.ts";
import { type DbKind, options } from "./web/options.ts";
import { okRate, pacedRate, type Phase } from "./web/phase.ts";
import { postPaced, postSaturated } from "./web/post.ts";
import { summary } from "./web/report.ts";
import { type Stack, startStack } from "./web/stacks.ts";
import { kyselyLog, timedClient } from "./web/tracing.ts";

const phases: Phase[] = [];

async function bench(cleanups: Cleanups): Promise<void> {
  const { concurrency, seconds, postDbs, instances } = options;
  console.log(`bench/web.ts: ${concurrency} users; per kind: ${options.warmup} warm-up requests, ${options.solo} with 1 user, then ${seconds} s (at most ` +
    `${options.max} requests) with ${concurrency} users in a closed loop, then ${seconds} s paced; POST on ${postDbs.join(" and ") || "nothing"}; ` +
    `index with ${instances} instances, ${options.indexSeconds} s per page. Load average ${loadAvg()}`);
  const postgres = await openBenchDatabase(
    { port: 54349, dir: ".data/bench-web-postgres", testServerFirst: true },
    { prefix: "joeflow_bench_web", poolSize: options.pool, log: kyselyLog },
    cleanups,
  );
  // The dev server as the demo starts it (no UI).
  const server = await startDevServer({ memory: options.memory, synchronous: options.sync, filePrefix: "joeflow-bench-web" }, cleanups);
  console.log(`Temporal dev server up in ${(server.upMs / 1000).toFixed(1)} s (SQLite ${server.dbFile ?? "in memory"}, WAL, synchronous=${options.sync})`);
  const { env } = server;
  await startFloorWorker(env.nativeConnection, postgres.db, cleanups);
  const load = new Load();
  await load.start();
  cleanups.add("stop the load generator", () => load.stop());
  const stacks = new Map<DbKind, Stack>();
  const temporal = { connection: env.nativeConnection, client: timedClient(env.client) };
  for (const kind of new Set<DbKind>([...postDbs, ...(instances > 0 ? ["postgres" as const] : [])])) {
    stacks.set(kind, await startStack(kind, temporal, postgres, cleanups));
  }

  const floors = await floorPhases(env.client, postgres.db, cleanups);
  const floorDb = phases.find((p) => p.kind === "floor-db" && p.mode === "saturated");
  for (const kind of postDbs) {
    const stack = stacks.get(kind)!;
    console.log(`\nPOST /shipping/ship/{taskId}/ on ${stack.label}`);
    phases.push(...await postSaturated(stack, env.client, load, floorDb && okRate(floorDb)));
  }

  // Paced: every floor and every POST at one rate, half what the slowest POST managed saturating (at most
  // one request per user per second), so they compare at the same offered load.
  const postRates = phases.filter((p) => p.kind === "post" && p.mode === "saturated").map(okRate);
  const rate = pacedRate(Math.min(...postRates, 2 * concurrency));
  console.log(`\npaced runs: ${rate} requests/s offered by ${concurrency} users`);
  for (const floor of floors) phases.push(await floorRun(env.client, floor, "paced", rate));
  for (const kind of postDbs) phases.push(await postPaced(stacks.get(kind)!, env.client, load, rate));
  for (const floor of floors) await floorStop(floor);

  if (instances > 0) {
    console.log(`\nindex with ${instances} instances in PostgreSQL`);
    phases.push(...await indexPhases(stacks.get("postgres")!, load, postgres.pool));
  }
  summary(phases);
}

/** Each floor with 1 user, then saturating; their workflows stay for the paced runs. */
async function floorPhases(client: Client, db: Kysely<JoeflowDatabase>, cleanups: Cleanups): Promise<Floor[]> {
  const floors: Floor[] = [];
  for (const kind of FLOOR_KINDS) {
    console.log(`\n${FLOOR_NAMES[kind][1]} (${FLOOR_NAMES[kind][0]} in bench/web/floor-workflow.ts)`);
    const floor = await floorSetup(client, kind, db);
    floors.push(floor);
    cleanups.add(`stop the ${kind} workflows`, () => floorStop(floor));
    phases.push(await floorRun(client, floor, "solo"));
    phases.push(await floorRun(client, floor, "saturated"));
  }
  return floors;
}

process.exit(await runBench({ timeoutS: options.timeoutS, graceS: 90 }, bench, () => {
  if (phases.length) summary(phases);
}));
