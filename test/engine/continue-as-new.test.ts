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

describe("continue-as-new", () => {
  let env: TestEnv;
  beforeAll(async () => {
    // The spins run in chains of machine steps, a few activities where there were 60: a lower limit
    // makes the run continue as new while the branches are under way.
    env = await createTestEnv({ workflows: [marathon], historyLimit: 30 });
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
});
