import { InvalidData, NotAssignee, TaskNotOpen, UnknownTask, UnknownWorkflow } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { welcome } from "../../examples/welcome.ts";
import { assignee, simple } from "../fixtures/workflows.ts";

describe("people at work: start views, human tasks, assignees and bad input", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [simple, assignee, shipping, welcome] });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const openTask = async (workflowId: string, name: string) =>
    (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === name && t.status === "scheduled")!;

  it("starts from code with tasks.start(), and from a start view with only its fields plus defaults", async () => {
    const byCode = await env.joeflow.start(simple, { task: "startMethod", state: { text: "from code" } });
    expect((await env.joeflow.get(byCode.workflowId)).state).toEqual({ text: "from code" });
    const order = await env.joeflow.start(shipping, {
      state: { shippingAddress: "1 Main St", trackingCode: "sneaked in" },
      user: "clerk",
    });
    const instance = await env.joeflow.get(order.workflowId);
    expect(instance.state).toEqual({ shippingAddress: "1 Main St" });
    expect(instance.tasks[0]).toMatchObject({
      name: "checkout",
      type: "human",
      status: "succeeded",
      completedByUser: "clerk",
    });
    expect(instance.tasks[1]).toMatchObject({ name: "ship", type: "human", status: "scheduled" });
    expect(instance.tasks[1]!.parentIds).toEqual([instance.tasks[0]!.id]);
  });

  it("refuses bad starts and creates nothing", async () => {
    const before = (await env.joeflow.list({ limit: 500 })).items.length;
    await expect(env.joeflow.start("nope", { state: {} })).rejects.toBeInstanceOf(UnknownWorkflow);
    await expect(env.joeflow.start(simple, { state: {} })).rejects.toThrow(/several start tasks/);
    await expect(env.joeflow.start(simple, { task: "end", state: {} })).rejects.toBeInstanceOf(UnknownTask);
    const invalid = env.joeflow.start(shipping, { state: { shippingAddress: "", email: "not-mail" } });
    await expect(invalid).rejects.toBeInstanceOf(InvalidData);
    await expect(invalid).rejects.toMatchObject({
      code: "InvalidData",
      issues: expect.arrayContaining([
        expect.objectContaining({ path: ["shippingAddress"] }),
        expect.objectContaining({ path: ["email"] }),
      ]),
    });
    expect((await env.joeflow.list({ limit: 500 })).items.length).toBe(before);
  });

  it("completes a human task with its fields only, and follows the edges", async () => {
    const { workflowId } = await env.joeflow.start(simple, { task: "startView", state: { text: "hi" } });
    const task = await openTask(workflowId, "saveThePrincess");
    const result = await env.joeflow.completeTask(task.id, {
      data: { text: "saved", other: "ignored" },
      user: "mario",
    });
    expect(result).toEqual({ taskId: task.id, status: "running" });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state).toEqual({ text: "saved" });
    expect(instance.tasks.map((t) => [t.name, t.status, t.completedByUser])).toEqual([
      ["startView", "succeeded", null],
      ["saveThePrincess", "succeeded", "mario"],
      ["end", "succeeded", null],
    ]);
    expect(instance.status).toBe("done");
    const history = await env.joeflow.history(workflowId);
    expect(history.map((h) => [h.taskName, h.user, h.before, h.after])).toEqual([
      ["startView", null, null, { text: "hi" }],
      ["saveThePrincess", "mario", { text: "hi" }, { text: "saved" }],
    ]);
    expect(history[1]!.at).toBeInstanceOf(Date);
  });

  it("rejects invalid data, closed and unknown tasks, changing nothing", async () => {
    const { workflowId } = await env.joeflow.start(shipping, { state: { shippingAddress: "2 Side St" } });
    const ship = await openTask(workflowId, "ship");
    const before = await env.joeflow.get(workflowId);
    await expect(env.joeflow.completeTask(ship.id, { data: { trackingCode: 42 } })).rejects.toMatchObject({
      code: "InvalidData",
      issues: [expect.objectContaining({ path: ["trackingCode"] })],
    });
    expect(await env.joeflow.get(workflowId)).toEqual(before);
    await expect(env.joeflow.completeTask("no-such-task", { data: {} })).rejects.toBeInstanceOf(UnknownTask);
    await expect(env.joeflow.completeTask(ship.id, { data: {}, next: ["checkout"] })).rejects.toThrow(
      /not an outgoing edge/,
    );
    expect(await env.joeflow.get(workflowId)).toEqual(before);
    await env.joeflow.completeTask(ship.id, { data: { trackingCode: "T-2" } });
    await expect(env.joeflow.completeTask(ship.id, { data: { trackingCode: "again" } })).rejects.toBeInstanceOf(
      TaskNotOpen,
    );
    await expect(env.joeflow.get("no-such-workflow")).rejects.toBeInstanceOf(UnknownWorkflow);
    await expect(env.joeflow.override("no-such-workflow", { next: [] })).rejects.toBeInstanceOf(UnknownWorkflow);
  });

  it("lets one of two concurrent completions win; the other learns the task is not open", async () => {
    const { workflowId } = await env.joeflow.start(shipping, { state: { shippingAddress: "3 Race Rd" } });
    const ship = await openTask(workflowId, "ship");
    const results = await Promise.allSettled([
      env.joeflow.completeTask(ship.id, { data: { trackingCode: "first" }, user: "ann" }),
      env.joeflow.completeTask(ship.id, { data: { trackingCode: "second" }, user: "bob" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(TaskNotOpen);
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.filter((t) => t.name === "hasEmail")).toHaveLength(1);
    expect(["first", "second"]).toContain(instance.state.trackingCode);
    expect((await env.joeflow.history(workflowId)).filter((h) => h.taskName === "ship")).toHaveLength(1);
  });

  it("lets only assignees complete a task; a rule can assign whoever did the task before", async () => {
    const { workflowId } = await env.joeflow.start(assignee, { state: {}, user: "requester" });
    const review = await openTask(workflowId, "review");
    expect(review.assignees).toEqual(["ann", "bob"]);
    expect((await env.joeflow.listTasks({ assignee: "ann", status: "scheduled" })).items.map((t) => t.id)).toContain(
      review.id,
    );
    await expect(
      env.joeflow.completeTask(review.id, { data: { approved: true }, user: "carl" }),
    ).rejects.toBeInstanceOf(NotAssignee);
    await expect(env.joeflow.completeTask(review.id, { data: { approved: true } })).rejects.toBeInstanceOf(NotAssignee);
    expect((await openTask(workflowId, "review")).status).toBe("scheduled");
    await env.joeflow.completeTask(review.id, { data: { approved: true }, user: "bob" });
    const confirm = await openTask(workflowId, "confirm");
    expect(confirm.assignees).toEqual(["bob"]);
    expect((await env.joeflow.get(workflowId)).state).toEqual({ approved: true });
  });

  it("runs the tutorial: a welcome mail only when a user was picked", async () => {
    const withUser = await env.joeflow.start(welcome, { state: { user: "spidy" } });
    const withoutUser = await env.joeflow.start(welcome, { state: {} });
    await env.idle(withUser.workflowId);
    await env.idle(withoutUser.workflowId);
    expect((await env.joeflow.get(withUser.workflowId)).tasks.map((t) => t.name)).toEqual([
      "start",
      "hasUser",
      "sendWelcomeEmail",
      "end",
    ]);
    expect((await env.joeflow.get(withoutUser.workflowId)).tasks.map((t) => t.name)).toEqual([
      "start",
      "hasUser",
      "end",
    ]);
  });

  it("lists instances and tasks newest first, page by page", async () => {
    const started = [];
    for (let i = 0; i < 3; i++)
      started.push((await env.joeflow.start(shipping, { state: { shippingAddress: `${i} Page St` } })).workflowId);
    const first = await env.joeflow.list({ name: "shipping", limit: 2 });
    expect(first.items.map((w) => w.id)).toEqual([started[2], started[1]]);
    const second = await env.joeflow.list({ name: "shipping", limit: 2, cursor: first.nextCursor });
    expect(second.items[0]!.id).toBe(started[0]);
    await expect(env.joeflow.list({ cursor: "garbage" })).rejects.toBeInstanceOf(InvalidData);
    const open = await env.joeflow.listTasks({ name: "ship", status: "scheduled", limit: 1 });
    expect(open.items[0]).toMatchObject({ workflowId: started[2], workflowName: "shipping", name: "ship" });
    expect(open.nextCursor).not.toBeNull();
  });
});
