import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporalWorkflowId } from "../../src/interpreter/protocol.ts";
import { busy, order, review } from "../fixtures/subflows.ts";

describe("a parent that continues as new while its sub-workflow runs", () => {
  let env: TestEnv;
  beforeAll(async () => {
    // As in continue-as-new.test.ts: a low limit makes the parent continue as new while it naps and spins.
    env = await createTestEnv({ workflows: [busy, review], historyLimit: 30 });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it("still hears of the child an earlier run started, and merges its state", { timeout: 120_000 }, async () => {
    const { workflowId } = await env.joeflow.start(busy, { state: { items: 3 } });
    const handle = env.temporal.client.workflow.getHandle(temporalWorkflowId("busy", workflowId));
    const firstRun = (await handle.describe()).runId;
    const pending = await env.idle(workflowId, { timeout: 100_000 });
    expect(pending.subflows?.map((s) => s.taskId)).toHaveLength(1);
    const during = await env.joeflow.get(workflowId);
    expect(during.state.spins).toBe(8);
    expect((await handle.describe()).runId).not.toBe(firstRun);

    const childId = during.tasks.find((t) => t.name === "reviewing")!.childWorkflowId!;
    await env.idle(childId);
    const approve = (await env.joeflow.get(childId)).tasks.find((t) => t.name === "approve")!;
    await env.joeflow.completeTask(approve.id, { data: { approved: true }, user: "bob" });
    await env.idle(childId);
    await env.idle(workflowId);
    const parent = await env.joeflow.get(workflowId);
    expect(parent.status).toBe("done");
    expect(parent.state).toMatchObject({ approved: true, spins: 8 });
  });
});

describe("a worker and its sub-workflows", () => {
  it("refuses a workflow whose sub-workflow it does not serve", async () => {
    await expect(createTestEnv({ workflows: [order] })).rejects.toMatchObject({
      code: "SubflowNotServed",
      data: { code: "SubflowNotServed", workflow: "order", task: "packing", child: "pack" },
    });
  });
});
