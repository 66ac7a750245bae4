import { defineWorkflow, InvalidData, tasks, TaskNotOpen, UnknownTask } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { shipping } from "../../examples/shipping.ts";
import { temporalWorkflowId } from "../../src/interpreter/protocol.ts";
import { failing, fault } from "../fixtures/workflows.ts";
import { gate } from "../fixtures/gate.ts";

let slowGate = gate();
const slow = defineWorkflow({
  name: "slow",
  state: z.object({ note: z.string().default("") }),
  tasks: {
    start: tasks.start(),
    crunch: async ({ state }) => {
      state.note = "crunched";
      await slowGate.pass();
    },
    end: () => {},
  },
  edges: [
    ["start", "crunch"],
    ["crunch", "end"],
  ],
});

describe("breaking the rules: overrides and cancels", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [shipping, failing, slow] });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it("cancels the open tasks, records who did it, merges the state and starts the chosen tasks", async () => {
    const { workflowId } = await env.joeflow.start(shipping, { state: { shippingAddress: "1 Main St" } });
    const ship = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
    const result = await env.joeflow.override(workflowId, {
      state: { email: "ann@example.com", trackingCode: "BY-HAND" },
      next: ["hasEmail"],
      user: "manager",
    });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    const canceled = instance.tasks.find((t) => t.id === ship.id)!;
    expect(canceled).toMatchObject({ status: "canceled", completedByUser: "manager" });
    const override = instance.tasks.find((t) => t.name === "override")!;
    expect(result.taskId).toBe(override.id);
    expect(override).toMatchObject({
      type: "human",
      status: "succeeded",
      completedByUser: "manager",
      parentIds: [ship.id],
    });
    expect(instance.tasks.find((t) => t.name === "hasEmail")!.parentIds).toEqual([override.id]);
    expect(instance.tasks.map((t) => t.name)).toEqual([
      "checkout",
      "ship",
      "override",
      "hasEmail",
      "sendTrackingCode",
      "end",
    ]);
    expect(instance.state).toEqual({ shippingAddress: "1 Main St", email: "ann@example.com", trackingCode: "BY-HAND" });
    expect(instance.status).toBe("done");
    const change = (await env.joeflow.history(workflowId)).find((h) => h.taskName === "override")!;
    expect(change).toMatchObject({ user: "manager", before: { shippingAddress: "1 Main St" } });
  });

  it("halts the instance when no next task is chosen, and hangs the override on the latest task", async () => {
    const { workflowId } = await env.joeflow.start(shipping, { state: { shippingAddress: "x" } });
    await env.joeflow.override(workflowId, { next: [], user: "manager" });
    let instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("done");
    // A second override on a finished instance: no open task, so its parent is the latest task.
    const first = instance.tasks.find((t) => t.name === "override")!;
    await env.joeflow.override(workflowId, { next: ["ship"], user: "boss" });
    instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("running"); // reopened
    const second = instance.tasks.filter((t) => t.name === "override")[1]!;
    expect(second.parentIds).toEqual([first.id]);
    const ship = instance.tasks.findLast((t) => t.name === "ship")!;
    expect(ship.status).toBe("scheduled");
    await env.joeflow.completeTask(ship.id, { data: { trackingCode: "LATE" } });
    await env.idle(workflowId);
    expect((await env.joeflow.get(workflowId)).status).toBe("done");
  });

  it("rejects an invalid override and changes nothing", async () => {
    const { workflowId } = await env.joeflow.start(shipping, { state: { shippingAddress: "x" } });
    const before = await env.joeflow.get(workflowId);
    await expect(env.joeflow.override(workflowId, { state: { shippingAddress: "" }, next: [] })).rejects.toBeInstanceOf(
      InvalidData,
    );
    await expect(env.joeflow.override(workflowId, { next: ["teleport"] })).rejects.toBeInstanceOf(UnknownTask);
    expect(await env.joeflow.get(workflowId)).toEqual(before);
  });

  it("handles a failed task by override", async () => {
    fault.broken = true;
    const { workflowId } = await env.joeflow.start(failing, { state: {} });
    await env.idle(workflowId);
    const failed = (await env.joeflow.get(workflowId)).tasks.find((t) => t.status === "failed")!;
    await env.joeflow.override(workflowId, { next: ["end"], user: "ops" });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.find((t) => t.id === failed.id)!.status).toBe("canceled");
    expect(instance.status).toBe("done");
    await expect(env.joeflow.rerun(failed.id)).rejects.toBeInstanceOf(TaskNotOpen);
  });

  it("waits for a machine task that holds the instance, then cancels what it started", async () => {
    slowGate = gate();
    const { workflowId } = await env.joeflow.start(slow, { state: {} });
    await slowGate.arrived;
    const override = env.joeflow.override(workflowId, { state: { note: "overridden" }, next: ["end"], user: "ops" });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the override is on its way, blocked by the task
    slowGate.open();
    await override;
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    const crunch = instance.tasks.find((t) => t.name === "crunch")!;
    expect(crunch.status).toBe("succeeded");
    // The task's own successor either ran before the override got the instance, or was canceled by it.
    const [firstEnd, secondEnd] = instance.tasks.filter((t) => t.name === "end");
    expect(firstEnd!.parentIds).toEqual([crunch.id]);
    const overrideTask = instance.tasks.find((t) => t.name === "override")!;
    expect(overrideTask).toMatchObject({ completedByUser: "ops", parentIds: [firstEnd!.id] });
    if (firstEnd!.status === "canceled") expect(firstEnd!.completedByUser).toBe("ops");
    else expect(firstEnd!.status).toBe("succeeded");
    expect(secondEnd).toMatchObject({ status: "succeeded", parentIds: [overrideTask.id] });
    expect(instance.status).toBe("done");
    expect(instance.state.note).toBe("overridden");
    const changes = (await env.joeflow.history(workflowId)).map((h) => [h.taskName, h.after.note]);
    expect(changes).toEqual([
      ["start", ""],
      ["crunch", "crunched"],
      ["override", "overridden"],
    ]);
  });

  it("cancels one task, or the whole instance", async () => {
    const one = await env.joeflow.start(shipping, { state: { shippingAddress: "x" } });
    const ship = (await env.joeflow.get(one.workflowId)).tasks.find((t) => t.name === "ship")!;
    // Its only open task cancelled, the order was never shipped: canceled, not done.
    expect(await env.joeflow.cancelTask(ship.id, { user: "clerk" })).toMatchObject({ status: "canceled" });
    expect((await env.joeflow.get(one.workflowId)).status).toBe("canceled");
    await expect(env.joeflow.cancelTask(ship.id)).rejects.toBeInstanceOf(TaskNotOpen);

    const all = await env.joeflow.start(shipping, { state: { shippingAddress: "y" } });
    await env.joeflow.cancelWorkflow(all.workflowId, { user: "clerk" });
    const instance = await env.joeflow.get(all.workflowId);
    expect(instance.status).toBe("canceled");
    expect(instance.tasks.map((t) => [t.name, t.status])).toEqual([
      ["checkout", "succeeded"],
      ["ship", "canceled"],
    ]);
    expect((await env.joeflow.list({ status: "canceled" })).items.map((w) => w.id)).toContain(all.workflowId);
  });

  it("takes the same messages as signals from any Temporal client", async () => {
    const { workflowId } = await env.joeflow.start(shipping, { state: { shippingAddress: "signal st" } });
    const handle = env.temporal.client.workflow.getHandle(temporalWorkflowId("shipping", workflowId));
    await handle.signal("override", { state: { trackingCode: "SIG" }, next: [], user: "cli" });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.find((t) => t.name === "override")).toMatchObject({ completedByUser: "cli" });
    expect(instance.state.trackingCode).toBe("SIG");
    // A bad signal is dropped and changes nothing.
    const reopened = await env.joeflow.start(shipping, { state: { shippingAddress: "bad signal st" } });
    const h2 = env.temporal.client.workflow.getHandle(temporalWorkflowId("shipping", reopened.workflowId));
    const before = await env.joeflow.get(reopened.workflowId);
    await h2.signal("override", { next: ["nowhere"] });
    await env.idle(reopened.workflowId);
    expect(await env.joeflow.get(reopened.workflowId)).toEqual(before);
  });
});
