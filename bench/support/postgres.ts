/**
 * The benches' PostgreSQL: $JOEFLOW_BENCH_PG_URL if set, else a server of scripts/test-postgres.sh,
 * and in it a fresh database per run, dropped at the end.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { Kysely, type LogEvent, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { migrateToLatest } from "joeflow";
import type { JoeflowDatabase } from "../../src/store/schema.ts";
import { cpuSources } from "./cpu.ts";
import type { Cleanups } from "./lifecycle.ts";
import { ROOT } from "./paths.ts";

const PG_SCRIPT = join(ROOT, "scripts/test-postgres.sh");

/** Which server of scripts/test-postgres.sh a bench uses when $JOEFLOW_BENCH_PG_URL is not set. */
export interface ServerChoice {
  /**
   * The bench's own server, never the tests' one on 54329 unless `testServerFirst`: other people
   * start and stop that one while a bench runs.
   */
  readonly port: number;
  /** Its data folder, relative to the project. */
  readonly dir: string;
  /** Use the tests' server if it is already running (left running). */
  readonly testServerFirst: boolean;
}

interface Postgres { url: string; stop: () => void; how: string }

function pgScript(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync("bash", [PG_SCRIPT, ...args], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}

const running = (env: NodeJS.ProcessEnv) => spawnSync("bash", [PG_SCRIPT, "status"], { env, stdio: "ignore" }).status === 0;

function startPostgres(choice: ServerChoice): Postgres {
  const given = process.env.JOEFLOW_BENCH_PG_URL;
  if (given) return { url: given, stop: () => {}, how: "JOEFLOW_BENCH_PG_URL" };
  if (choice.testServerFirst && running(process.env)) {
    return { url: pgScript(["url"], process.env), stop: () => {}, how: "the running test server of scripts/test-postgres.sh (left running)" };
  }
  const own = { ...process.env, JOEFLOW_TEST_PG_PORT: String(choice.port), JOEFLOW_TEST_PG_DIR: join(ROOT, choice.dir) };
  if (running(own)) {
    return { url: pgScript(["url"], own), stop: () => {}, how: `the bench's own server on port ${choice.port}, already running (left running)` };
  }
  pgScript(["start"], own);
  return {
    url: pgScript(["url"], own),
    stop: () => pgScript(["stop"], own),
    how: `the bench's own server, started with scripts/test-postgres.sh on port ${choice.port} (stopped at the end)`,
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  database: string;
  pool: pg.Pool;
  db: Kysely<JoeflowDatabase>;
  version: string;
}

/**
 * Starts (or finds) the server, creates `<prefix>_<timestamp>` with joeflow's tables, and registers
 * the cleanups: close the pool, drop the database, stop the server if this run started it.
 */
export async function openBenchDatabase(
  choice: ServerChoice, options: { prefix: string; poolSize: number; log: (event: LogEvent) => void }, cleanups: Cleanups,
): Promise<BenchDatabase> {
  const postgres = startPostgres(choice);
  cleanups.add("stop PostgreSQL", postgres.stop);
  const database = `${options.prefix}_${Date.now()}`;
  await adminQuery(postgres.url, `CREATE DATABASE ${database}`);
  cleanups.add(`drop ${database}`, () => adminQuery(postgres.url, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  // Connections stay open (idleTimeoutMillis 0), so the CPU time of their backends can be counted.
  const pool = new pg.Pool({ connectionString: withDatabase(postgres.url, database), max: options.poolSize, idleTimeoutMillis: 0 });
  pool.on("error", () => {}); // an idle connection closed under us (DROP DATABASE ... WITH (FORCE) at the end)
  const db = new Kysely<JoeflowDatabase>({ dialect: new PostgresDialect({ pool }), log: options.log });
  cpuSources.database = database;
  cleanups.add("close the pool", () => db.destroy());
  await migrateToLatest(db);
  const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]!.v;
  console.log(`PostgreSQL ${version}: ${postgres.how}; database ${database}, pool of ${options.poolSize}`);
  return { database, pool, db, version };
}
