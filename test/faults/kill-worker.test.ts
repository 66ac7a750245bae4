/**
 * kill -9 of a worker mid-run: a worker process runs 10 instances of a 5-step chain against the dev
 * server and PostgreSQL, is killed with SIGKILL while steps are in flight, and a second worker process
 * takes over. Every instance finishes, every committed step is applied once (state.count is the number
 * of steps), the steps whose effect outside the transaction ran twice are counted (at-least-once, as
 * the README says), and the recovery is bounded by the heartbeat timeout, not by the activity's.
 */
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { createJoeflow, type JoeflowDatabase, migrateToLatest } from "joeflow";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devServerExecutable } from "../../src/temporal-servers/mod.ts";
import { freshPostgres, postgresUrl } from "../fixtures/postgres.ts";
import { outputs, type Service, startService, until } from "../fixtures/services.ts";
import { chainWorkflow, createEffectsTable } from "./chain.ts";
import { atMoment, progress, ranTwice, report, sleep, stateChanges } from "./measure.ts";

const INSTANCES = 10;
const STEPS = 5;
const STEP_MS = 200;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe.skipIf(!postgresUrl)("a worker killed with SIGKILL mid-run", () => {
  let temporal: TestWorkflowEnvironment;
  let postgres: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Kysely<JoeflowDatabase>;
  let env: Record<string, string>;
  const services: Service[] = [];

  beforeAll(async () => {
    temporal = await TestWorkflowEnvironment.createLocal({ server: { executable: await devServerExecutable() } });
    postgres = await freshPostgres();
    db = postgres.db as Kysely<JoeflowDatabase>;
    await migrateToLatest(db);
    await createEffectsTable(postgres.url);
    env = {
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: postgres.url,
      FAULT_TASK_QUEUE: "faults-kill",
      FAULT_STEPS: String(STEPS),
      FAULT_STEP_MS: String(STEP_MS),
    };
  }, 120_000);

  afterAll(async () => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill("SIGKILL");
    await Promise.all(services.map((s) => s.exited));
    await postgres?.drop();
    await temporal?.teardown();
  });

  it("finishes every instance with each step committed once, within the heartbeat timeout", {
    timeout: 90_000,
  }, async () => {
    const first = startService("worker-1", "test/faults/worker.ts", env);
    services.push(first);
    await until("the first worker to be up", () => first.output.includes("fault worker: ready"), services);

    const workflow = chainWorkflow({ steps: STEPS, stepMs: STEP_MS }); // no effect: this process runs no step
    const joeflow = createJoeflow({
      db,
      temporal: temporal.client,
      workflows: [workflow],
      taskQueue: env.FAULT_TASK_QUEUE,
    });
    const started = await Promise.all(
      Array.from({ length: INSTANCES }, () => joeflow.start(workflow, { state: { count: 0 } })),
    );

    // Kill it mid-run (a step or more committed per instance on average) while steps are in flight: their
    // effect ran, their commit has not.
    let atKill = await progress(db, STEPS);
    await until(
      "steps to be in flight",
      async () => {
        atKill = await progress(db, STEPS);
        const inFlight = atKill.executions - atKill.commits;
        const { commits } = atKill;
        return (inFlight >= 3 && commits >= INSTANCES) || (inFlight >= 1 && commits >= (INSTANCES * STEPS) / 2);
      },
      services,
    );
    first.child.kill("SIGKILL");
    const killedAt = Date.now();
    await first.exited;
    const second = startService("worker-2", "test/faults/worker.ts", env);
    services.push(second);

    let secondUpMs = 0;
    let firstDoneMs = 0;
    await until(
      "every instance to finish on the second worker",
      async () => {
        if (!secondUpMs && second.output.includes("fault worker: ready")) secondUpMs = Date.now() - killedAt;
        const { done } = await progress(db, STEPS);
        if (!firstDoneMs && done > atKill.done) firstDoneMs = Date.now() - killedAt;
        return done === INSTANCES;
      },
      services,
      60_000,
    );
    const recoveryMs = Date.now() - killedAt;
    await sleep(500); // nothing more may run after the last instance is done
    const final = await progress(db, STEPS);
    const changes = await stateChanges(db);

    report("kill -9 a worker", {
      instances: `${INSTANCES} x ${STEPS} steps of ${STEP_MS} ms`,
      "done / committed at the kill": atMoment(atKill),
      "second worker up after the kill": seconds(secondUpMs),
      "first instance done after the kill": seconds(firstDoneMs),
      "recovery time (kill to last instance done)": seconds(recoveryMs),
      "steps committed": `${final.commits} (expected ${INSTANCES * STEPS})`,
      "steps run twice outside the transaction": ranTwice(final),
    });

    const output = outputs(services);
    expect(final.done, output).toBe(INSTANCES);
    expect(final.wrongCounts, output).toEqual([]);
    expect(final.commits).toBe(INSTANCES * STEPS);
    expect(final.executions).toBeGreaterThanOrEqual(final.commits);
    for (const { workflowId } of started)
      expect([workflowId, changes.get(workflowId)]).toEqual([workflowId, STEPS + 1]);
    expect(recoveryMs).toBeLessThan(45_000);
  });
});
