import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { order, pack, review, reviewed } from "../fixtures/subflows.ts";

describe("sub-workflows on the time-skipping server", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [order, pack, reviewed, review] });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** The child a subflow task started (its latest attempt's). */
  const childOf = async (workflowId: string, task: string) => {
    const found = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === task);
    expect(found?.childWorkflowId).toBeDefined();
    return found!.childWorkflowId!;
  };

  it("packs an order in a sub-workflow, merges the boxes and ships", async () => {
    const { workflowId } = await env.joeflow.start(order, { state: { items: 5 } });
    await env.idle(workflowId);
    const childId = await childOf(workflowId, "packing");
    await env.idle(childId);
    await env.idle(workflowId);
    const parent = await env.joeflow.get(workflowId);
    expect(parent.status).toBe("done");
    expect(parent.state).toMatchObject({ items: 5, boxes: 3, shipped: true });
    expect(parent.tasks.map((t) => [t.name, t.status])).toEqual([
      ["start", "succeeded"],
      ["packing", "succeeded"],
      ["ship", "succeeded"],
    ]);
    const child = await env.joeflow.get(childId);
    expect(child).toMatchObject({ name: "pack", status: "done", state: { items: 5, boxes: 3 } });
    expect(child.parent).toEqual({ workflowId, taskId: parent.tasks[1]!.id });
  });

  it("fails the task when the input makes no state the child takes, and waits for a rerun", async () => {
    const { workflowId } = await env.joeflow.start(order, { state: { items: -1 } });
    const pending = await env.idle(workflowId);
    expect(pending.failed.map((t) => t.name)).toEqual(["packing"]);
    const packing = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "packing")!;
    expect(packing.status).toBe("failed");
    expect(packing.exception).toMatch(/^InvalidData: .*items/);
    expect(packing.childWorkflowId).toBeUndefined();
  });

  it("fails the task when its child is canceled; a rerun starts a new child", async () => {
    const { workflowId } = await env.joeflow.start(reviewed, { state: { items: 2 } });
    await env.idle(workflowId);
    const first = await childOf(workflowId, "reviewing");
    await env.idle(first);
    await env.joeflow.cancelWorkflow(first, { user: "ann" });
    await env.idle(workflowId);
    const failed = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "reviewing")!;
    expect(failed.status).toBe("failed");
    expect(failed.exception).toBe(`SubflowFailed: the child instance ${first} was canceled`);

    await env.joeflow.rerun(failed.id, { user: "ann" });
    await env.idle(workflowId);
    const second = await childOf(workflowId, "reviewing");
    expect(second).not.toBe(first);
    await env.idle(second);
    const approve = (await env.joeflow.get(second)).tasks.find((t) => t.name === "approve")!;
    await env.joeflow.completeTask(approve.id, { data: { approved: true }, user: "bob" });
    await env.idle(second);
    await env.idle(workflowId);
    const parent = await env.joeflow.get(workflowId);
    expect(parent.status).toBe("done");
    expect(parent.state).toMatchObject({ approved: true, shipped: true });
    expect(parent.tasks.find((t) => t.name === "reviewing")).toMatchObject({ status: "succeeded", attempt: 2 });
  });

  it("cancels the child, in its own tables too, when the parent is canceled", async () => {
    const { workflowId } = await env.joeflow.start(reviewed, { state: { items: 1 } });
    await env.idle(workflowId);
    const childId = await childOf(workflowId, "reviewing");
    await env.idle(childId);
    await env.joeflow.cancelWorkflow(workflowId, { user: "ann" });
    await env.idle(childId);
    const child = await env.joeflow.get(childId);
    expect(child.status).toBe("canceled");
    expect(child.tasks.find((t) => t.name === "approve")?.status).toBe("canceled");
    const parent = await env.joeflow.get(workflowId);
    expect(parent.status).toBe("canceled");
    expect(parent.tasks.find((t) => t.name === "reviewing")?.status).toBe("canceled");
  });
});
