import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { TaskNotOpen } from "joeflow";
import { freshPostgres, postgresUrl } from "../fixtures/postgres.ts";
import { parallel, splitJoin } from "../fixtures/workflows.ts";

const eight = parallel(8);

describe.skipIf(!postgresUrl)("on a real PostgreSQL server", () => {
  let env: TestEnv;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const postgres = await freshPostgres();
    drop = postgres.drop;
    env = await createTestEnv({ workflows: [eight, splitJoin, shipping], db: postgres.db });
  });
  afterAll(async () => {
    await env?.teardown();
    await drop?.();
  });

  it("never loses an update of eight parallel branches: the row lock serializes them", async () => {
    const runs = await Promise.all([1, 2, 3].map(() => env.joeflow.start(eight, { state: {} })));
    for (const { workflowId } of runs) {
      await env.idle(workflowId);
      const instance = await env.joeflow.get(workflowId);
      expect(instance.state.value).toBe(8);
      expect(instance.tasks.filter((t) => t.name === "join")).toHaveLength(1);
      expect(instance.tasks.filter((t) => t.name === "end")).toHaveLength(1);
      expect(instance.status).toBe("done");
      expect((await env.joeflow.history(workflowId)).filter((h) => h.taskName.startsWith("branch"))).toHaveLength(8);
    }
  });

  it("splits and joins", async () => {
    const { workflowId } = await env.joeflow.start(splitJoin, { state: {} });
    await env.idle(workflowId);
    expect((await env.joeflow.get(workflowId)).state.parallelTaskValue).toBe(2);
  });

  it("lets one of two concurrent completions win", async () => {
    const { workflowId } = await env.joeflow.start(shipping, { state: { shippingAddress: "pg" } });
    const ship = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
    const results = await Promise.allSettled([
      env.joeflow.completeTask(ship.id, { data: { trackingCode: "a" } }),
      env.joeflow.completeTask(ship.id, { data: { trackingCode: "b" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(TaskNotOpen);
    await env.idle(workflowId);
    expect((await env.joeflow.get(workflowId)).status).toBe("done");
  });
});
