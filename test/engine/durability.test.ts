import type { Context as ActivityContext } from "@temporalio/activity";
import { createJoeflow, defineWorkflow, tasks } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { shipping } from "../../examples/shipping.ts";
import { splitJoin } from "../fixtures/workflows.ts";
import { gate } from "../fixtures/gate.ts";

/** Simulated faults of the worker, set per test. */
const faults = {
  /** Task names whose activity "crashes" after its commit, on the first attempt. */
  crashAfterCommit: new Set<string>(),
  /** Task names whose activity is picked up late: it waits at this gate before it starts. */
  lateStart: new Map<string, ReturnType<typeof gate>>(),
  calls: new Map<string, number>(),
  crashes: [] as string[],
};

const counter = defineWorkflow({
  name: "counter",
  state: z.object({ count: z.number().int().default(0) }),
  tasks: {
    start: tasks.start(),
    increment: ({ state }) => {
      faults.calls.set("increment", (faults.calls.get("increment") ?? 0) + 1);
      state.count += 1;
    },
    end: () => {},
  },
  edges: [
    ["start", "increment"],
    ["increment", "end"],
  ],
});

const legacyV1 = defineWorkflow({
  name: "legacy",
  state: z.object({}),
  tasks: { start: tasks.start(), oldStep: () => {}, end: () => {} },
  edges: [
    ["start", "oldStep"],
    ["oldStep", "end"],
  ],
});
const legacyV2 = defineWorkflow({
  name: "legacy",
  state: z.object({}),
  tasks: { start: tasks.start(), newStep: () => {}, end: () => {} },
  edges: [
    ["start", "newStep"],
    ["newStep", "end"],
  ],
});

function faultInjector(ctx: ActivityContext) {
  return {
    inbound: {
      async execute(
        input: { args: unknown[] },
        next: (input: { args: unknown[]; headers: never }) => Promise<unknown>,
      ) {
        const taskName = await nameOfTask(input.args[0]);
        const late = taskName ? faults.lateStart.get(taskName) : undefined;
        if (late) await late.pass();
        const result = await next(input as { args: unknown[]; headers: never });
        if (taskName && faults.crashAfterCommit.has(taskName) && ctx.info.attempt === 1) {
          faults.crashes.push(taskName);
          throw new Error(`simulated crash after the commit of ${taskName}`);
        }
        return result;
      },
    },
  };
}

let env: TestEnv;
async function nameOfTask(arg: unknown): Promise<string | undefined> {
  // A machine task's activity gets { taskId }; a message's gets { args: { taskId } }.
  const input = arg as { taskId?: string; args?: { taskId?: string } } | undefined;
  const taskId = input?.taskId ?? input?.args?.taskId;
  if (!taskId || !env) return undefined;
  const row = await env.db.selectFrom("joeflow_task").select("name").where("id", "=", taskId).executeTakeFirst();
  return row?.name;
}

describe("durability: retried activities, late workers, changed definitions", () => {
  beforeAll(async () => {
    env = await createTestEnv({
      workflows: [counter, shipping, splitJoin, legacyV2],
      worker: { interceptors: { activity: [faultInjector as never] } },
    });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it("applies a machine task once when its activity is retried after a crash past the commit", async () => {
    faults.crashAfterCommit.add("increment");
    const { workflowId } = await env.joeflow.start(counter, { state: {} });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(faults.crashes).toEqual(["increment"]); // the activity did run twice
    expect(faults.calls.get("increment")).toBe(1);
    expect(instance.state.count).toBe(1);
    expect(instance.tasks.map((t) => [t.name, t.status])).toEqual([
      ["start", "succeeded"],
      ["increment", "succeeded"],
      ["end", "succeeded"],
    ]);
    expect((await env.joeflow.history(workflowId)).filter((h) => h.taskName === "increment")).toHaveLength(1);
  });

  it("applies a join's arrival once when a branch's activity is retried", async () => {
    faults.crashAfterCommit.add("batman");
    const { workflowId } = await env.joeflow.start(splitJoin, { state: {} });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(faults.crashes).toContain("batman");
    expect(instance.state.parallelTaskValue).toBe(2);
    expect(instance.tasks.filter((t) => t.name === "join")).toHaveLength(1);
    expect(instance.status).toBe("done");
  });

  it("answers a completion once when its transaction is retried after the commit", async () => {
    const { workflowId } = await env.joeflow.start(shipping, { state: { shippingAddress: "x" } });
    const ship = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
    faults.crashAfterCommit.add("ship");
    const result = await env.joeflow.completeTask(ship.id, { data: { trackingCode: "T-1" }, user: "wh" });
    faults.crashAfterCommit.delete("ship");
    expect(faults.crashes).toContain("ship"); // the first run committed, then "crashed"
    expect(result.taskId).toBe(ship.id); // the retry answered as the first run would have
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.find((t) => t.name === "ship")).toMatchObject({ status: "succeeded", completedByUser: "wh" });
    expect(instance.tasks.filter((t) => t.name === "hasEmail")).toHaveLength(1);
    expect((await env.joeflow.history(workflowId)).filter((h) => h.taskName === "ship")).toHaveLength(1);
  });

  it("lets an override that came first win over a machine task whose worker was late", async () => {
    const late = gate();
    faults.lateStart.set("hasEmail", late);
    const { workflowId } = await env.joeflow.start(shipping, {
      state: { shippingAddress: "x", email: "a@example.com" },
    });
    const ship = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
    await env.joeflow.completeTask(ship.id, { data: { trackingCode: "T" } });
    await late.arrived; // hasEmail's activity has been handed out, but has not started
    await env.joeflow.override(workflowId, { next: ["end"], user: "ops" });
    late.open();
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.find((t) => t.name === "hasEmail")).toMatchObject({
      status: "canceled",
      completedByUser: "ops",
    });
    expect(instance.tasks.some((t) => t.name === "sendTrackingCode")).toBe(false);
    expect(instance.tasks.map((t) => t.name)).toEqual(["checkout", "ship", "hasEmail", "override", "end"]);
    expect(instance.status).toBe("done");
    faults.lateStart.clear();
  });

  it("fails a task whose function left the definition with ObsoleteTask, and an override moves on", async () => {
    // An instance started from the old definition; the worker runs the new one.
    const oldClient = createJoeflow({
      db: env.db,
      temporal: env.temporal.client,
      workflows: [legacyV1],
      taskQueue: env.joeflow.taskQueue,
    });
    const { workflowId } = await oldClient.start(legacyV1, { state: {} });
    await env.idle(workflowId);
    let instance = await env.joeflow.get(workflowId);
    const obsolete = instance.tasks.find((t) => t.name === "oldStep")!;
    expect(obsolete.status).toBe("failed");
    expect(obsolete.exception).toBe('ObsoleteTask: Task "oldStep" no longer exists in workflow "legacy".');
    expect(instance.graphVersion).toBe(legacyV1.graph.version);
    await env.joeflow.override(workflowId, { next: ["end"], user: "ops" });
    await env.idle(workflowId);
    instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("done");
    expect(instance.tasks.map((t) => [t.name, t.status])).toEqual([
      ["start", "succeeded"],
      ["oldStep", "canceled"],
      ["override", "succeeded"],
      ["end", "succeeded"],
    ]);
  });
});
