import { defineWorkflow, type HookEvent, tasks } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { temporalWorkflowId } from "../../src/interpreter/protocol.ts";

/** What the hooks saw, in the order they ran. */
const seen: HookEvent[] = [];
const flaky = { failuresLeft: 0, attempts: [] as number[] };
const worker: HookEvent[] = [];

const review = defineWorkflow({
  name: "review",
  state: z.object({ verdict: z.string().default("") }),
  tasks: {
    submit: tasks.start(),
    decide: tasks.updateView({ fields: ["verdict"], assignees: ["ann"] }),
    archive: ({ state }) => {
      state.verdict = `${state.verdict} (archived)`;
    },
  },
  edges: [
    ["submit", "decide"],
    ["decide", "archive"],
  ],
  on: {
    taskScheduled: (event) => {
      seen.push(event);
    },
    taskCompleted: (event) => {
      seen.push(event);
    },
    workflowDone: (event, { attempt }) => {
      flaky.attempts.push(attempt);
      if (flaky.failuresLeft-- > 0) throw new Error(`mail server down (attempt ${attempt})`);
      seen.push(event);
    },
  },
});

describe("hooks on task events", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [review], on: { workflowDone: (event) => void worker.push(event) } });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const rows = (workflowId: string) =>
    env.db.selectFrom("joeflow_event").selectAll().where("workflow_id", "=", workflowId).orderBy("created").execute();

  async function until<T>(look: () => Promise<T | undefined>, timeout = 15_000): Promise<T> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = await look();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const finished = (workflowId: string) =>
    env.temporal.client.workflow.getHandle(temporalWorkflowId("review", workflowId)).result();

  /** A review started, decided by ann, and run to its end (time skipped meanwhile). */
  async function decided(verdict: string): Promise<string> {
    const { workflowId } = await env.joeflow.start(review, { state: {} });
    const decide = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "decide")!;
    await env.joeflow.completeTask(decide.id, { data: { verdict }, user: "ann" });
    await finished(workflowId);
    return workflowId;
  }

  it("runs each hook once, after the commit, with the state after the change", async () => {
    seen.length = 0;
    flaky.failuresLeft = 0;
    const { workflowId } = await env.joeflow.start(review, { state: {}, user: "bob" });
    const scheduled = await until(async () => seen.find((e) => e.kind === "taskScheduled"));
    expect(scheduled).toMatchObject({ workflow: { name: "review", id: workflowId }, task: { name: "decide" } });
    if (scheduled.kind !== "taskScheduled") throw new Error("a tagged union");
    expect(scheduled.task.assignees).toEqual(["ann"]);
    // The hook ran after the commit: the task it reports is in the database.
    expect((await env.joeflow.get(workflowId)).tasks.map((t) => t.id)).toContain(scheduled.task.id);

    const decide = scheduled.task.id;
    await env.joeflow.completeTask(decide, { data: { verdict: "yes" }, user: "ann" });
    await finished(workflowId);
    const completed = seen.filter((e) => e.kind === "taskCompleted").map((e) => ("task" in e ? e.task.name : ""));
    expect(completed).toEqual(["submit", "decide", "archive"]);
    const byAnn = seen.find((e) => e.kind === "taskCompleted" && e.task.name === "decide");
    expect(byAnn).toMatchObject({ user: "ann", state: { verdict: "yes" } });
    const done = seen.find((e) => e.kind === "workflowDone");
    expect(done).toMatchObject({ state: { verdict: "yes (archived)" }, workflow: { status: "done" } });
    // Once each: every event's key is seen once.
    const keys = seen.map((e) => e.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect((await rows(workflowId)).every((row) => row.status === "delivered")).toBe(true);
  });

  it("runs the worker's own hooks too", async () => {
    worker.length = 0;
    flaky.failuresLeft = 0;
    const workflowId = await decided("no");
    expect(worker.map((e) => [e.kind, e.workflow.id])).toEqual([["workflowDone", workflowId]]);
    const targets = (await rows(workflowId)).filter((row) => row.kind === "workflowDone").map((row) => row.target);
    expect(targets.sort()).toEqual(["worker", "workflow"]);
  });

  it("retries a failing hook with backoff until it succeeds", async () => {
    flaky.failuresLeft = 2;
    flaky.attempts = [];
    const workflowId = await decided("maybe");
    expect(flaky.attempts).toEqual([1, 2, 3]);
    const row = (await rows(workflowId)).find((r) => r.kind === "workflowDone" && r.target === "workflow")!;
    expect(row).toMatchObject({ status: "delivered", attempts: 3, last_error: null });
  });

  it("gives up on a hook that keeps failing, shows why, and the workflow completes", async () => {
    flaky.failuresLeft = 1_000;
    flaky.attempts = [];
    const workflowId = await decided("late");
    const handle = env.temporal.client.workflow.getHandle(temporalWorkflowId("review", workflowId));
    expect(flaky.attempts).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await env.joeflow.get(workflowId)).status).toBe("done");
    const row = (await rows(workflowId)).find((r) => r.kind === "workflowDone" && r.target === "workflow")!;
    expect(row).toMatchObject({ status: "failed", attempts: 8, last_error: "Error: mail server down (attempt 8)" });
    // Backoff: the run waited for the hook's doubling pauses (1 + 2 + ... + 64 s of skipped time).
    const doneAt = new Date((row.payload as { at: string }).at).getTime();
    expect((await handle.describe()).closeTime!.getTime() - doneAt).toBeGreaterThanOrEqual(127_000);
  });
});
