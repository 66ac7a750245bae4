/**
 * Restarting what a worker depends on, mid-run (slow, so only with JOEFLOW_SLOW_FAULTS=1): PostgreSQL
 * (a throwaway server of this file's own, never the one the other test files share) and the Temporal
 * dev server (its history kept in a file, as a real cluster keeps it). Instances in flight when the
 * server comes back all finish, each step committed once; the steps run twice outside the transaction
 * and the recovery times are printed.
 */
import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { createJoeflow, createPostgresDb, type JoeflowDatabase, migrateToLatest } from "joeflow";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devServerExecutable } from "../../src/temporal-servers/mod.ts";
import { freshPostgres, postgresUrl } from "../fixtures/postgres.ts";
import { freePort, outputs, type Service, startService, until } from "../fixtures/services.ts";
import { chainWorkflow, createEffectsTable } from "./chain.ts";
import { atMoment, type Progress, progress, ranTwice, report, sleep, stateChanges } from "./measure.ts";

const INSTANCES = 10;
const STEPS = 5;
const STEP_MS = 200;
const DOWN_MS = 3_000;
const slow = process.env.JOEFLOW_SLOW_FAULTS === "1";
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const run = promisify(execFile);

/** The dev server on a port and a database file of its own, so that it can be stopped and started again. */
async function devServer(port: number, dbFilename: string): Promise<TestWorkflowEnvironment> {
  return await TestWorkflowEnvironment.createLocal({
    server: { executable: await devServerExecutable(), ip: "127.0.0.1", port, dbFilename },
  });
}

/**
 * Starts a worker process and the instances, waits until steps are in flight, applies the fault, and
 * measures until every instance is done. Reads that fail while the database is down are retried.
 */
async function scenario(options: {
  readonly name: string;
  readonly temporal: () => TestWorkflowEnvironment;
  readonly db: Kysely<JoeflowDatabase>;
  readonly databaseUrl: string;
  readonly services: Service[];
  /** Stops the server, waits, starts it again; returns when it is back. */
  readonly fault: () => Promise<void>;
}): Promise<void> {
  const { db, services } = options;
  const taskQueue = `faults-${options.name.replaceAll(" ", "-")}`;
  const worker = startService(`worker (${options.name})`, "test/faults/worker.ts", {
    TEMPORAL_ADDRESS: options.temporal().address,
    DATABASE_URL: options.databaseUrl,
    FAULT_TASK_QUEUE: taskQueue,
    FAULT_STEPS: String(STEPS),
    FAULT_STEP_MS: String(STEP_MS),
  });
  services.push(worker);
  await until("the worker to be up", () => worker.output.includes("fault worker: ready"), services);
  const workflow = chainWorkflow({ steps: STEPS, stepMs: STEP_MS });
  const joeflow = createJoeflow({ db, temporal: options.temporal().client, workflows: [workflow], taskQueue });
  const started = await Promise.all(
    Array.from({ length: INSTANCES }, () => joeflow.start(workflow, { state: { count: 0 } })),
  );

  let atFault: Progress = await progress(db, STEPS);
  await until(
    "steps to be in flight",
    async () => {
      atFault = await progress(db, STEPS);
      const inFlight = atFault.executions - atFault.commits;
      return (inFlight >= 3 && atFault.commits >= INSTANCES) || (inFlight >= 1 && atFault.commits >= 25);
    },
    services,
  );
  const stoppedAt = Date.now();
  await options.fault();
  const backAt = Date.now();
  await until(
    "every instance to finish",
    async () => (await progress(db, STEPS).catch(() => undefined))?.done === INSTANCES,
    services,
    120_000,
  );
  const doneAt = Date.now();
  await sleep(500);
  const final = await progress(db, STEPS);
  const changes = await stateChanges(db);
  report(options.name, {
    instances: `${INSTANCES} x ${STEPS} steps of ${STEP_MS} ms`,
    "done / committed when stopped": atMoment(atFault),
    "server down (stop to back)": seconds(backAt - stoppedAt),
    "recovery time (server back to last instance done)": seconds(doneAt - backAt),
    "steps committed": `${final.commits} (expected ${INSTANCES * STEPS})`,
    "steps run twice outside the transaction": ranTwice(final),
  });
  const output = outputs(services);
  expect(final.done, output).toBe(INSTANCES);
  expect(final.wrongCounts, output).toEqual([]);
  expect(final.commits).toBe(INSTANCES * STEPS);
  expect(final.executions).toBeGreaterThanOrEqual(final.commits);
  for (const { workflowId } of started) expect([workflowId, changes.get(workflowId)]).toEqual([workflowId, STEPS + 1]);
  worker.child.kill("SIGKILL");
  await worker.exited;
}

describe.skipIf(!postgresUrl || !slow)("restarting the servers a worker depends on, mid-run", () => {
  let temporal: TestWorkflowEnvironment | undefined;
  let temporalPort: number;
  let folder: string;
  const services: Service[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "joeflow-faults-"));
    await chmod(folder, 0o755); // run as root, the script runs PostgreSQL as `postgres`, which must enter it
    temporalPort = await freePort();
    temporal = await devServer(temporalPort, join(folder, "temporal.sqlite"));
  }, 120_000);

  afterAll(async () => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill("SIGKILL");
    await Promise.all(services.map((s) => s.exited));
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error("cleanup failed:", e));
    await temporal?.teardown();
    await rm(folder, { recursive: true, force: true });
  }, 120_000);

  it("PostgreSQL stopped and started again: every instance finishes, each step committed once", {
    timeout: 240_000,
  }, async () => {
    // A server of this test's own: scripts/test-postgres.sh in a folder of ours, on a free port.
    const pgEnv = { ...process.env, JOEFLOW_TEST_PG_DIR: join(folder, "postgres") };
    const script = "scripts/test-postgres.sh";
    cleanups.push(() => run("bash", [script, "stop"], { env: pgEnv }));
    await run("bash", [script, "start"], { env: pgEnv });
    const url = (await run("bash", [script, "url"], { env: pgEnv })).stdout.trim();
    const port = new URL(url).port;
    const db = createPostgresDb({ connectionString: url, max: 4, onConnectionError: () => {} });
    cleanups.push(() => db.destroy());
    await migrateToLatest(db);
    await createEffectsTable(url);
    await scenario({
      name: "restart PostgreSQL",
      temporal: () => temporal!,
      db,
      databaseUrl: url,
      services,
      fault: async () => {
        await run("bash", [script, "stop"], { env: pgEnv });
        await sleep(DOWN_MS);
        await run("bash", [script, "start"], { env: { ...pgEnv, JOEFLOW_TEST_PG_PORT: port } });
      },
    });
  });

  it("the Temporal dev server stopped and started again: every instance finishes, each step committed once", {
    timeout: 240_000,
  }, async () => {
    const postgres = await freshPostgres();
    cleanups.push(() => postgres.drop());
    const db = postgres.db as Kysely<JoeflowDatabase>;
    await migrateToLatest(db);
    await createEffectsTable(postgres.url);
    await scenario({
      name: "restart the Temporal dev server",
      temporal: () => temporal!,
      db,
      databaseUrl: postgres.url,
      services,
      fault: async () => {
        const stopping = temporal;
        temporal = undefined;
        await stopping!.teardown();
        await sleep(DOWN_MS);
        temporal = await devServer(temporalPort, join(folder, "temporal.sqlite"));
      },
    });
  });
});
