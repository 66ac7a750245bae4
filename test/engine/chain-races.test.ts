/**
 * A run of machine steps goes on in one activity (a chain), yet a person is never kept waiting for
 * it: on PostgreSQL, a completion or an override sent while a 30-step run is under way is applied
 * between two of its steps, and answered while steps are still to come.
 */
import { defineWorkflow, tasks } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { temporalWorkflowId } from "../../src/interpreter/protocol.ts";
import { freshPostgres, postgresUrl } from "../fixtures/postgres.ts";

const STEPS = 30;
const STEP_MS = 40;

/** An assembly line of STEPS machine steps then `shipped`, and beside it an inspection a person does. */
const line = defineWorkflow({
  name: "line",
  state: z.object({ count: z.number().int(), note: z.string().optional() }),
  tasks: {
    start: tasks.start(),
    inspect: tasks.updateView({ fields: ["note"] }),
    filed: () => {},
    shipped: () => {},
    ...Object.fromEntries(
      Array.from({ length: STEPS }, (_, i) => [
        `s${i}`,
        async ({ state }: { state: { count: number } }) => {
          await new Promise((resolve) => setTimeout(resolve, STEP_MS));
          state.count += 1;
        },
      ]),
    ),
  } as never,
  edges: [
    ["start", "inspect"],
    ["start", "s0"],
    ["inspect", "filed"],
    ...Array.from({ length: STEPS - 1 }, (_, i) => [`s${i}`, `s${i + 1}`]),
    [`s${STEPS - 1}`, "shipped"],
  ] as never,
});

describe.skipIf(!postgresUrl)("a person's message during a run of machine steps", () => {
  let env: TestEnv;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const postgres = await freshPostgres();
    drop = postgres.drop;
    env = await createTestEnv({ workflows: [line], db: postgres.db });
  });
  afterAll(async () => {
    await env?.teardown();
    await drop?.();
  });

  /** Starts an instance and waits until its run of steps is a few steps in. */
  async function midRun() {
    const { workflowId } = await env.joeflow.start(line, { state: { count: 0 } });
    for (let count = 0; count < 3; await new Promise((resolve) => setTimeout(resolve, 10))) {
      count = Number((await env.joeflow.get(workflowId)).state.count);
    }
    return workflowId;
  }

  const isStep = (name: string) => /^s\d+$/.test(name);
  /** The task names of the state changes, oldest first. */
  const changes = async (workflowId: string) => (await env.joeflow.history(workflowId)).map((h) => h.taskName);

  it("applies a completion between two steps, answers it before the run ends, and the run goes on", {
    timeout: 60_000,
  }, async () => {
    const workflowId = await midRun();
    const inspect = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "inspect")!;
    await env.joeflow.completeTask(inspect.id, { data: { note: "fine" }, user: "ann" });
    const countWhenAnswered = Number((await env.joeflow.get(workflowId)).state.count);
    expect(countWhenAnswered).toBeLessThan(STEPS - 5); // answered while the run was far from its end

    await env.idle(workflowId, { timeout: 45_000 });
    const instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("done");
    expect(instance.state).toEqual({ count: STEPS, note: "fine" }); // nothing lost on either side
    const history = await changes(workflowId);
    const at = history.indexOf("inspect");
    expect(history.slice(at + 1).filter((name) => isStep(name)).length).toBeGreaterThan(4);
    expect(history.filter((name) => isStep(name))).toHaveLength(STEPS); // each step once

    // The steps did run in chains: fewer activities than steps.
    const events = (await env.temporal.client.workflow.getHandle(temporalWorkflowId("line", workflowId)).fetchHistory())
      .events;
    const activities = (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
    expect(activities).toBeLessThan(STEPS / 2);
  });

  it("applies an override between two steps: the run stops where the override cancelled it", {
    timeout: 60_000,
  }, async () => {
    const workflowId = await midRun();
    await env.joeflow.override(workflowId, { next: ["shipped"], user: "manager" });
    const countWhenAnswered = Number((await env.joeflow.get(workflowId)).state.count);
    expect(countWhenAnswered).toBeLessThan(STEPS - 5);

    await env.idle(workflowId, { timeout: 45_000 });
    const instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("done");
    // No step ran after the override: its task was cancelled under the lock before the next step took it.
    expect(instance.state.count).toBe(countWhenAnswered);
    expect(instance.tasks.filter((t) => t.status === "canceled").map((t) => t.name)).toEqual(
      expect.arrayContaining(["inspect", `s${countWhenAnswered}`]),
    );
    expect((await changes(workflowId)).filter((name) => isStep(name))).toHaveLength(countWhenAnswered);
  });
});
