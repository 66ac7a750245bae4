/**
 * Hooks on a run of machine steps that one activity runs as a chain: each step commits on its own
 * (most of them without reading a snapshot), and each step's events are written with it and delivered
 * once: a taskCompleted per step, a taskScheduled per task a step opened, a workflowDone at the end.
 */
import { defineWorkflow, type HookEvent, tasks } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { temporalWorkflowId } from "../../src/interpreter/protocol.ts";

const STEPS = 6;
const steps = Array.from({ length: STEPS }, (_, i) => `s${i}`);

const seen: HookEvent[] = [];
const remember = (event: HookEvent) => void seen.push(event);

/** An assembly line: STEPS quick machine steps, each counting one more. */
const line = defineWorkflow({
  name: "counted",
  state: z.object({ count: z.number().int() }),
  tasks: {
    start: tasks.start(),
    ...Object.fromEntries(
      steps.map((name) => [
        name,
        ({ state }: { state: { count: number } }) => {
          state.count += 1;
        },
      ]),
    ),
  } as never,
  edges: [["start", "s0"], ...steps.slice(1).map((name, i) => [steps[i], name])] as never,
  on: { taskScheduled: remember, taskCompleted: remember, workflowDone: remember },
});

describe("hooks on a chain of machine steps", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [line] });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it("reports each step's completion once, with the state that step left", { timeout: 60_000 }, async () => {
    const { workflowId } = await env.joeflow.start(line, { state: { count: 0 } });
    const handle = env.temporal.client.workflow.getHandle(temporalWorkflowId("counted", workflowId));
    await handle.result(); // the run ends only once its hooks are delivered

    const of = (kind: HookEvent["kind"]) => seen.filter((e) => e.kind === kind && e.workflow.id === workflowId);
    const name = (e: HookEvent) => ("task" in e ? e.task.name : "");
    expect(of("taskCompleted").map(name).sort()).toEqual(["start", ...steps].sort());
    expect(of("taskScheduled").map(name).sort()).toEqual([...steps].sort());
    expect(of("workflowDone")).toHaveLength(1);
    // Each step's event carries the state as that step committed it, not the chain's end.
    for (const event of of("taskCompleted").filter((e) => name(e) !== "start")) {
      expect(event.state).toEqual({ count: Number(name(event).slice(1)) + 1 });
    }
    expect(of("workflowDone")[0]).toMatchObject({ state: { count: STEPS }, workflow: { status: "done" } });
    const keys = seen.filter((e) => e.workflow.id === workflowId).map((e) => e.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    const rows = await env.db.selectFrom("joeflow_event").selectAll().where("workflow_id", "=", workflowId).execute();
    expect(rows).toHaveLength(keys.length);
    expect(rows.every((row) => row.status === "delivered" && row.attempts === 1)).toBe(true);

    // The steps did run as a chain: fewer runTask activities than steps.
    const history = (await handle.fetchHistory()).events ?? [];
    const runs = history.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === "runTask");
    expect(runs.length).toBeLessThan(STEPS);
  });
});
