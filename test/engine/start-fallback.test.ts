/**
 * `joeflow.start` uses update-with-start; a server with that API switched off (an older cluster, or a
 * cautious operator) must still start instances, by a start and then the `started` update.
 */
import { PGlite } from "@electric-sql/pglite";
import { WithStartWorkflowOperation } from "@temporalio/client";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import type { Worker } from "@temporalio/worker";
import { createJoeflow, migrateToLatest } from "joeflow";
import { createWorker } from "joeflow/worker";
import { Kysely, PGliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { devServerExecutable } from "../../src/temporal-servers/mod.ts";

/** The messages of an error and of its causes, one per line. */
function causes(error: unknown): string {
  const lines: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) lines.push(e.message);
  return lines.join("\n");
}

describe("starting on a server without update-with-start", () => {
  let temporal: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const db = new Kysely({ dialect: new PGliteDialect({ pglite: new PGlite() }) });

  beforeAll(async () => {
    temporal = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: await devServerExecutable(),
        extraArgs: ["--dynamic-config-value", "frontend.enableExecuteMultiOperation=false"],
      },
    });
    await migrateToLatest(db);
    worker = await createWorker({
      connection: temporal.nativeConnection,
      db,
      workflows: [shipping],
      taskQueue: "fallback",
    });
    running = worker.run();
  }, 120_000);
  afterAll(async () => {
    if (worker?.getState() === "RUNNING") worker.shutdown();
    await running;
    await temporal?.teardown();
    await db.destroy();
  });

  it("the server refuses update-with-start, and start still returns with the first tasks in the database", async () => {
    const refused = await temporal.client.workflow
      .executeUpdateWithStart("started", {
        startWorkflowOperation: new WithStartWorkflowOperation("joeflowInterpreter", {
          taskQueue: "nowhere",
          workflowId: "probe",
          args: [],
          workflowIdConflictPolicy: "FAIL",
        }),
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(causes(refused)).toMatch(/ExecuteMultiOperation API is disabled/);

    const joeflow = createJoeflow({ db, temporal: temporal.client, workflows: [shipping], taskQueue: "fallback" });
    for (const address of ["1 Fallback Rd", "2 Fallback Rd"]) {
      // the second knows the server refuses
      const { workflowId } = await joeflow.start(shipping, { state: { shippingAddress: address }, user: "clerk" });
      const instance = await joeflow.get(workflowId);
      expect(instance.state.shippingAddress).toBe(address);
      expect(instance.tasks.map((t) => [t.name, t.status])).toEqual([
        ["checkout", "succeeded"],
        ["ship", "scheduled"],
      ]);
    }
  });
});
