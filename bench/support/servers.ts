/**
 * The benches' servers: PostgreSQL (a fresh database per run) and the Temporal CLI dev server, both
 * loopback only and torn down by the run's cleanups; and their hand-written workflows' workers.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { bundleWorkflowCode, type Worker } from "@temporalio/worker";
import { sql } from "kysely";
import pg from "pg";
import { createPostgresDb, migrateToLatest } from "joeflow";
import { devServerArgs, devServerExecutable } from "../../src/temporal-servers/mod.ts";
import { type Cleanups, cpuSources, findProcesses } from "./run.ts";

/**
 * $JOEFLOW_BENCH_PG_URL, else the bench's own server of scripts/test-postgres.sh in `dir`, on a free port
 * (never the tests' server: others start and stop it meanwhile), stopped at the end unless it was already up.
 */
function startPostgres(dir: string, cleanups: Cleanups): { url: string; how: string } {
  if (process.env.JOEFLOW_BENCH_PG_URL) return { url: process.env.JOEFLOW_BENCH_PG_URL, how: "$JOEFLOW_BENCH_PG_URL" };
  const { JOEFLOW_TEST_PG_PORT: _theTests, ...inherited } = process.env;
  const env = { ...inherited, JOEFLOW_TEST_PG_DIR: fileURLToPath(new URL(`../../${dir}`, import.meta.url)) };
  const bash = [fileURLToPath(new URL("../../scripts/test-postgres.sh", import.meta.url))];
  const script = (arg: string) =>
    execFileSync("bash", [...bash, arg], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  if (spawnSync("bash", [...bash, "status"], { env, stdio: "ignore" }).status === 0) {
    return { url: script("url"), how: `the bench's server in ${dir}, already running (left running)` };
  }
  script("start");
  cleanups.add("stop PostgreSQL", () => script("stop"));
  return { url: script("url"), how: `the bench's server, started in ${dir} (stopped at the end)` };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(text).finally(() => client.end());
}

/** A fresh database `<prefix>_<time>` with joeflow's tables, dropped at the end; `log` sees every statement. */
export async function openDatabase(dir: string, prefix: string, cleanups: Cleanups, log = () => {}) {
  const { url, how } = startPostgres(dir, cleanups);
  const database = `${prefix}_${Date.now()}`;
  await adminQuery(url, `CREATE DATABASE ${database}`);
  cleanups.add(`drop ${database}`, () => adminQuery(url, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${database}`;
  // Connections stay open (no idle timeout), so the CPU time of their backends can be counted.
  // Opened as users are told to (prepared statements); an idle connection closed by DROP DATABASE is no news.
  const connectionString = dbUrl.toString();
  const db = createPostgresDb({
    connectionString,
    max: 20,
    idleTimeoutMillis: 0,
    onConnectionError: () => {},
    queryLog: log,
  });
  cleanups.add("close the pool", () => db.destroy());
  cpuSources.database = database;
  await migrateToLatest(db);
  const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]!.v;
  console.log(`PostgreSQL ${version}: ${how}; database ${database}`);
  return { db, version };
}

/**
 * The dev server without its UI, SQLite in a temporary file (WAL, `synchronous`) or in memory, tuned
 * as the demo's (DEV_SERVER_DYNAMIC_CONFIG in src/temporal-servers/dev-server.ts).
 */
export async function startDevServer(memory: boolean, synchronous: string, cleanups: Cleanups) {
  const dbFile = memory ? undefined : join(tmpdir(), `joeflow-bench-${Date.now()}.sqlite`);
  const t0 = performance.now();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: await devServerExecutable(),
      ui: false,
      ...(dbFile ? { dbFilename: dbFile } : {}),
      extraArgs: devServerArgs(["journal_mode=WAL", `synchronous=${synchronous}`]),
    },
  });
  cleanups.add("tear the dev server down", async () => {
    await env.teardown();
    if (dbFile) for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  });
  const port = env.address.split(":").pop();
  cpuSources.serverPid = findProcesses((c) => c.includes("start-dev") && c.includes(`--port ${port} `))[0];
  if (!cpuSources.serverPid) console.warn("bench: the dev server's process was not found; its CPU time is not counted");
  console.log(
    `Temporal dev server up in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
      `(SQLite ${dbFile ?? "in memory"}, WAL, synchronous=${synchronous})`,
  );
  return env;
}

/** The workflows of `file` (pass `new URL("./x.ts", import.meta.url)`), bundled without the bundler's chatter. */
export async function bundleWorkflows(file: URL) {
  const quiet = () => {};
  return await bundleWorkflowCode({
    workflowsPath: fileURLToPath(file),
    logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error },
  });
}

/** Runs a worker until the cleanups shut it down. */
export function runWorker(worker: Worker, what: string, cleanups: Cleanups): void {
  const running = worker.run();
  cleanups.add(`shut the ${what} worker down`, async () => {
    worker.shutdown();
    await running;
  });
}
