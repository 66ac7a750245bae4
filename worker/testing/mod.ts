/**
 * Time-skipping tests of joeflow workflows: the Temporal test server, PGlite (unless a database is
 * given) and a worker in this process that calls the very functions of the definitions.
 */
import { PGlite } from "@electric-sql/pglite";
import type { WorkflowHandle } from "@temporalio/client";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import type { Worker } from "@temporalio/worker";
import { Kysely, PGliteDialect } from "kysely";
import { createJoeflow, type Joeflow } from "../../src/client/joeflow.ts";
import type { AnyWorkflow } from "../../src/definition/define.ts";
import { type Duration, durationMs } from "../../src/definition/duration.ts";
import { checkSubflowsServed } from "../../src/definition/subflows.ts";
import { DEFAULT_HISTORY_LIMIT } from "../../src/interpreter/decisions.ts";
import { pendingQuery, wakeSignal } from "../../src/interpreter/definitions.ts";
import { type Pending, temporalWorkflowId } from "../../src/interpreter/protocol.ts";
import { UnknownWorkflow } from "../../src/errors.ts";
import { findInstanceHead } from "../../src/store/instances.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";
import type { JoeflowDatabase } from "../../src/store/schema.ts";
import { testServerExecutable } from "../../src/temporal-servers/mod.ts";
import { createWorker, type JoeflowWorkerOptions } from "../mod.ts";

export interface TestEnvOptions<DB> {
  readonly workflows: readonly AnyWorkflow[];
  /** Your database; a fresh in-memory PGlite when left out. */
  readonly db?: Kysely<DB>;
  readonly taskQueue?: string;
  /** See JoeflowOptions.historyLimit. */
  readonly historyLimit?: number;
  /** The worker's hooks on every workflow's events (see createWorker). */
  readonly on?: JoeflowWorkerOptions<DB>["on"];
  /** Passed on to the Temporal worker (e.g. interceptors). */
  readonly worker?: JoeflowWorkerOptions<DB>["temporal"];
}

export interface TestEnv {
  readonly joeflow: Joeflow;
  readonly db: Kysely<JoeflowDatabase>;
  readonly temporal: TestWorkflowEnvironment;
  /**
   * Resolves when the instance runs no activity and has no timer left but waits for people; skips time
   * meanwhile. A person's due date is theirs, not the instance's work: idle does not skip to it (skip does).
   */
  idle(workflowId: string, options?: { timeout?: number }): Promise<Pending>;
  /** Moves the test server's clock forward. */
  skip(duration: Duration): Promise<void>;
  teardown(): Promise<void>;
}

export async function createTestEnv<DB = JoeflowDatabase>(options: TestEnvOptions<DB>): Promise<TestEnv> {
  // Before the server starts, so that a refusal leaves nothing running behind it.
  checkSubflowsServed(options.workflows);
  const temporal = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: await testServerExecutable() },
  });
  const ownDb = options.db === undefined;
  const db = (
    options.db ?? new Kysely<JoeflowDatabase>({ dialect: new PGliteDialect({ pglite: new PGlite() }) })
  ).withTables<JoeflowDatabase>() as unknown as Kysely<JoeflowDatabase>;
  await migrateToLatest(db);
  const taskQueue = options.taskQueue ?? `joeflow-test-${crypto.randomUUID()}`;
  const worker: Worker = await createWorker({
    connection: temporal.nativeConnection,
    db,
    workflows: options.workflows,
    taskQueue,
    on: options.on,
    temporal: options.worker,
  });
  const running = worker.run();
  const joeflow = createJoeflow({
    db,
    temporal: temporal.client,
    workflows: options.workflows,
    taskQueue,
    historyLimit: options.historyLimit,
  });

  async function idle(workflowId: string, { timeout = 15_000 } = {}): Promise<Pending> {
    const head = async () => {
      const found = await findInstanceHead(db, workflowId);
      if (!found) throw new UnknownWorkflow(workflowId);
      return found;
    };
    const handle = temporal.client.workflow.getHandle(temporalWorkflowId((await head()).name, workflowId));
    const revision = async () => (await head()).revision;
    const deadline = Date.now() + timeout;
    const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    let pause = 5; // ms between looks while busy, growing: every query is work for the server
    let seen = -1;
    for (;;) {
      // Ask the workflow only once its revision stood still between two looks, the server holds no
      // workflow task or activity for it, and it is not due to continue as new. A query that meets a
      // continue-as-new leaves the time-skipping server's clock locked for good.
      const now = await revision();
      const pending =
        now === seen && (await quiet(handle, historyLimit)) ? await handle.query(pendingQuery) : undefined;
      seen = now;
      const busy =
        !pending?.started ||
        pending.continuingAsNew ||
        pending.activities.length > 0 ||
        pending.escalating.length > 0 ||
        pending.handlers > 0;
      const timers = pending?.timers.filter((t) => t.reason !== "due") ?? [];
      if (pending && !busy && timers.length === 0) return pending;
      if (Date.now() > deadline) {
        const still = pending ?? (await handle.query(pendingQuery));
        throw new Error(`Workflow ${workflowId} is not idle after ${timeout} ms; pending: ${JSON.stringify(still)}`);
      }
      if (pending && !busy) await temporal.sleep(Math.max(1, Math.min(...timers.map((t) => t.dueAt)) - pending.now));
      else {
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, 250);
      }
    }
  }

  return {
    joeflow,
    db,
    temporal,
    idle,
    skip: (duration) => temporal.sleep(durationMs(duration)),
    async teardown() {
      // The SDK's Runtime may have stopped the worker on SIGINT/SIGTERM already, and shutting down a
      // worker that is not running throws (IllegalStateError), which would skip the rest of teardown.
      if (worker.getState() === "RUNNING") worker.shutdown();
      await running;
      await temporal.teardown();
      if (ownDb) await db.destroy();
    },
  };
}

/** The next activation sees a few more events than describe() counts (its own workflow task's): a margin. */
const WAKE_MARGIN = 5;

/**
 * No workflow task and no activity of the current run is pending on the server, and its history is
 * short of the limit. A run past it continues as new at its next activation: it is woken with a
 * signal (an activation of its own) instead of being asked, and is not quiet yet.
 */
async function quiet(handle: WorkflowHandle, historyLimit: number): Promise<boolean> {
  const { raw, historyLength, status } = await handle.describe();
  if (status.name !== "RUNNING") return true; // a closed run answers queries, and continues as new no more
  if (raw.pendingWorkflowTask || (raw.pendingActivities?.length ?? 0) > 0) return false;
  if (historyLength + WAKE_MARGIN < historyLimit) return true;
  await handle.signal(wakeSignal);
  return false;
}
