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
    // The store, not the workflow, is asked until the spinning is over: on the time-skipping server, the
    // first query after a continue-as-new of a parent whose child runs was seen to take some 80 s.
    const during = await until(
      () => env.joeflow.get(workflowId),
      (w) => w.state.spins === 8,
    );
    expect((await handle.describe()).runId).not.toBe(firstRun);

    const childId = during.tasks.find((t) => t.name === "reviewing")!.childWorkflowId!;
    await env.idle(childId);
    const approve = (await env.joeflow.get(childId)).tasks.find((t) => t.name === "approve")!;
    await env.joeflow.completeTask(approve.id, { data: { approved: true }, user: "bob" });
    await env.idle(childId);
    const parent = await until(
      () => env.joeflow.get(workflowId),
      (w) => w.status !== "running",
    );
    expect(parent.status).toBe("done");
    expect(parent.state).toMatchObject({ approved: true, spins: 8 });
  });
});

/** The first answer that passes the test, asked every 50 ms for up to 30 s. */
async function until<T>(ask: () => Promise<T>, test: (answer: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await ask();
    if (test(answer)) return answer;
    if (Date.now() > deadline) throw new Error(`still not so after 30 s: ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("a worker and its sub-workflows", () => {
  it("refuses a workflow whose sub-workflow it does not serve", async () => {
    await expect(createTestEnv({ workflows: [order] })).rejects.toMatchObject({
      code: "SubflowNotServed",
      data: { code: "SubflowNotServed", workflow: "order", task: "packing", child: "pack" },
    });
  });
});
