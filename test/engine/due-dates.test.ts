/**
 * Due dates on the Temporal test server, with time skipped: a task due in 2 days escalates after 2
 * days and not before; one done in time never does; a moved due date moves the escalation; and the
 * three `onDue`s: go to other tasks (the task is cancelled), reassign, or only mark it overdue.
 */
import { defineWorkflow, type HookEvent, InvalidData, tasks } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

const seen: HookEvent[] = [];
const state = z.object({ amount: z.number().default(0), note: z.string().default("") });
const approval = defineWorkflow({
  name: "approval",
  state,
  tasks: {
    start: tasks.start(),
    approve: tasks.updateView({
      fields: ["note"],
      assignees: [{ user: "ann" }],
      due: "2 days",
      onDue: { goTo: ["escalate"] },
    }),
    escalate: tasks.updateView({ fields: ["note"], assignees: [{ group: "managers" }] }),
    done: () => {},
  },
  edges: [
    ["start", "approve"],
    ["approve", "done"],
    ["escalate", "done"],
  ],
  on: { taskOverdue: (event) => void seen.push(event) },
});
const handover = defineWorkflow({
  name: "handover",
  state,
  tasks: {
    start: tasks.start(),
    review: tasks.updateView({
      fields: ["note"],
      assignees: [{ user: "ann" }],
      // Bigger amounts are due sooner: a date from the state.
      due: (s, { created }) => new Date(created.getTime() + (Number(s.amount) > 100 ? 1 : 3) * 3_600_000),
      onDue: { reassign: ({ state: s }) => [{ user: Number(s.amount) > 100 ? "boss" : "bob" }] },
    }),
    remind: tasks.updateView({ fields: ["note"], due: "1 hour" }),
    done: () => {},
  },
  edges: [
    ["start", "review"],
    ["start", "remind"],
    ["review", "done"],
    ["remind", "done"],
  ],
});

describe("due dates: tasks that wait too long escalate, on time and durably", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [approval, handover] });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const tasksOf = async (workflowId: string) => (await env.joeflow.get(workflowId)).tasks;
  const named = async (workflowId: string, name: string) => (await tasksOf(workflowId)).find((t) => t.name === name)!;

  it("escalates a task due in 2 days after 2 days and not before, to the tasks its onDue names", async () => {
    const { workflowId } = await env.joeflow.start(approval, { state: {} });
    const pending = await env.idle(workflowId);
    const approve = await named(workflowId, "approve");
    expect(approve.due!.getTime() - approve.created.getTime()).toBe(2 * 86_400_000);
    expect(pending.timers).toEqual([expect.objectContaining({ taskId: approve.id, reason: "due" })]);

    await env.skip("47 hours");
    expect(await named(workflowId, "approve")).toMatchObject({ status: "scheduled", overdue: false });
    expect((await tasksOf(workflowId)).map((t) => t.name)).not.toContain("escalate");

    await env.skip("2 hours");
    await env.idle(workflowId);
    const after = await tasksOf(workflowId);
    expect(after.find((t) => t.name === "approve")).toMatchObject({ status: "canceled", completedByUser: null });
    const escalate = after.find((t) => t.name === "escalate")!;
    expect(escalate).toMatchObject({ status: "scheduled", groups: ["managers"], parentIds: [approve.id] });
    const actions = await env.joeflow.actions(workflowId);
    expect(actions).toEqual([expect.objectContaining({ name: "escalate", taskName: "approve", user: null })]);
    expect(seen).toEqual([
      expect.objectContaining({ kind: "taskOverdue", task: expect.objectContaining({ id: approve.id }) }),
    ]);

    await env.joeflow.claim(escalate.id, { user: "meg", groups: ["managers"] });
    await env.joeflow.completeTask(escalate.id, { data: { note: "ok" }, user: "meg" });
    await env.idle(workflowId);
    expect((await env.joeflow.get(workflowId)).status).toBe("done");
  });

  it("never escalates a task done in time: its timer is cancelled with it", async () => {
    const { workflowId } = await env.joeflow.start(approval, { state: {} });
    await env.idle(workflowId);
    await env.skip("1 day");
    await env.joeflow.completeTask((await named(workflowId, "approve")).id, { data: { note: "yes" }, user: "ann" });
    const pending = await env.idle(workflowId);
    expect(pending.timers).toEqual([]);
    await env.skip("3 days");
    expect((await tasksOf(workflowId)).map((t) => [t.name, t.status])).toEqual([
      ["start", "succeeded"],
      ["approve", "succeeded"],
      ["done", "succeeded"],
    ]);
    expect(await env.joeflow.actions(workflowId)).toEqual([expect.objectContaining({ name: "completeTask" })]);
  });

  it("moves the escalation with a due date a person moved, and drops it with the due date", async () => {
    const { workflowId } = await env.joeflow.start(approval, { state: {} });
    await env.idle(workflowId);
    const approve = await named(workflowId, "approve");
    const later = new Date(approve.due!.getTime() + 3 * 86_400_000);
    await env.joeflow.setDue(approve.id, { due: later, user: "boss" });
    const pending = await env.idle(workflowId);
    expect(pending.timers).toEqual([expect.objectContaining({ dueAt: later.getTime(), reason: "due" })]);
    await env.skip("3 days");
    expect((await named(workflowId, "approve")).status).toBe("scheduled");
    await env.skip("2 days");
    await env.idle(workflowId);
    expect((await named(workflowId, "approve")).status).toBe("canceled");

    const second = await env.joeflow.start(approval, { state: {} });
    await env.idle(second.workflowId);
    const task = await named(second.workflowId, "approve");
    await expect(env.joeflow.setDue(task.id, { due: "next week" })).rejects.toBeInstanceOf(InvalidData);
    await env.joeflow.setDue(task.id, { due: null, user: "boss" });
    expect((await env.idle(second.workflowId)).timers).toEqual([]);
    await env.skip("5 days");
    expect(await named(second.workflowId, "approve")).toMatchObject({ status: "scheduled", due: null });
  });

  it("reassigns by a rule of the state, or only marks a task overdue; both stay open", async () => {
    const { workflowId } = await env.joeflow.start(handover, { state: { amount: 500 } });
    await env.idle(workflowId);
    const review = await named(workflowId, "review");
    expect(review.due!.getTime() - review.created.getTime()).toBeGreaterThan(3_500_000);
    expect(review.due!.getTime() - review.created.getTime()).toBeLessThan(3_700_000);
    await env.skip("61 minutes");
    await env.idle(workflowId);
    const after = await tasksOf(workflowId);
    expect(after.find((t) => t.name === "review")).toMatchObject({
      status: "scheduled",
      assignees: ["boss"],
      overdue: true,
    });
    expect(after.find((t) => t.name === "remind")).toMatchObject({ status: "scheduled", overdue: true });
    const overdue = await env.joeflow.inbox({ user: "boss", scope: "overdue" });
    expect(overdue.items.map((t) => t.name).sort()).toEqual(["remind", "review"]);
    expect(overdue.counts).toMatchObject({ overdue: 2, mine: 1 });
    // Escalated once: more time changes nothing.
    await env.skip("1 day");
    expect((await env.joeflow.actions(workflowId)).map((a) => a.name)).toEqual(["escalate", "escalate"]);
  });
});
