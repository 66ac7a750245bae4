import { defineWorkflow, tasks } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { temporalWorkflowId } from "../../src/interpreter/protocol.ts";

/** Three branches meet at a join: one waits 3 h, one says "not yet" twice, one spins 60 times. */
const marathon = defineWorkflow({
  name: "marathon",
  state: z.object({ spins: z.number().int().default(0) }),
  tasks: {
    start: tasks.start(),
    nap: tasks.wait("3h"),
    patience: ({ task }) => task.attempt >= 3,
    spin: ({ state }) => {
      state.spins += 1;
      return state.spins < 60 ? ["spin"] : ["join"];
    },
    join: tasks.join("nap", "patience", "spin"),
    end: () => {},
  },
  edges: [
    ["start", "nap"],
    ["start", "patience"],
    ["start", "spin"],
    ["spin", "spin"],
    ["nap", "join"],
    ["patience", "join"],
    ["spin", "join"],
    ["join", "end"],
  ],
  backoff: { patience: { initial: "10 minutes", max: "20 minutes" } },
});

/** A person's task due in a day, whose due date is moved often enough that the run continues as new. */
const deadline = defineWorkflow({
  name: "deadline",
  state: z.object({ note: z.string().default("") }),
  tasks: {
    start: tasks.start(),
    review: tasks.updateView({ fields: ["note"], due: "1 day" }),
  },
  edges: [["start", "review"]],
});

describe("continue-as-new", () => {
  let env: TestEnv;
  beforeAll(async () => {
    // The spins run in chains of machine steps, a few activities where there were 60: a lower limit
    // makes the run continue as new while the branches are under way.
    env = await createTestEnv({ workflows: [marathon, deadline], historyLimit: 30 });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it("carries open tasks, join arrivals, wait deadlines and backoff state to the next run", {
    timeout: 180_000,
  }, async () => {
    const { workflowId } = await env.joeflow.start(marathon, { state: {} });
    const handle = env.temporal.client.workflow.getHandle(temporalWorkflowId("marathon", workflowId));
    const firstRun = (await handle.describe()).runId;
    await env.idle(workflowId, { timeout: 150_000 });
    const instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("done");
    expect(instance.state.spins).toBe(60);
    const join = instance.tasks.filter((t) => t.name === "join");
    expect(join).toHaveLength(1);
    const parents = instance.tasks
      .filter((t) => join[0]!.parentIds.includes(t.id))
      .map((t) => t.name)
      .sort();
    expect(parents).toEqual(["nap", "patience", "spin"]);
    const nap = instance.tasks.find((t) => t.name === "nap")!;
    expect(nap.completed!.getTime() - nap.created.getTime()).toBeGreaterThanOrEqual(3 * 3_600_000);
    const patience = instance.tasks.find((t) => t.name === "patience")!;
    expect(patience.completed!.getTime() - patience.created.getTime()).toBeGreaterThanOrEqual(30 * 60_000);
    expect(instance.tasks.filter((t) => t.name === "end")).toHaveLength(1);
    const lastRun = await handle.describe();
    expect(lastRun.runId).not.toBe(firstRun);
  });

  it("carries a moved due date to the next run, which escalates it when it passes", { timeout: 120_000 }, async () => {
    const { workflowId } = await env.joeflow.start(deadline, { state: {} });
    const handle = env.temporal.client.workflow.getHandle(temporalWorkflowId("deadline", workflowId));
    const firstRun = (await handle.describe()).runId;
    await env.idle(workflowId);
    const review = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "review")!;
    // Each move is an update, a local activity and a timer moved: the history passes the limit of 30.
    for (let hours = 1; hours <= 8; hours++) {
      await env.joeflow.setDue(review.id, { due: new Date(review.due!.getTime() + hours * 3_600_000), user: "boss" });
    }
    const pending = await env.idle(workflowId);
    expect((await handle.describe()).runId).not.toBe(firstRun);
    const due = review.due!.getTime() + 8 * 3_600_000;
    expect(pending.timers).toEqual([expect.objectContaining({ name: "review", reason: "due", dueAt: due })]);
    await env.skip("33 hours");
    await env.idle(workflowId);
    const after = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "review")!;
    expect(after).toMatchObject({ status: "scheduled", overdue: true });
    expect((await env.joeflow.actions(workflowId)).map((a) => a.name)).toEqual([
      ...Array(8).fill("setDue"),
      "escalate",
    ]);
  });
});
