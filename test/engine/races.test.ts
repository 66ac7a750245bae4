/**
 * Every caller of a message is told the truth, however many race: on PostgreSQL, 20 people complete
 * the same last task, or override an instance as its last step commits. The winner hears success, the
 * others a typed error, never an untyped abort; an override that comes after the end reopens the
 * instance, as joeflow's does; a cancel after the end is refused.
 */
import { defineWorkflow, JoeflowError, TaskNotOpen, tasks, WorkflowNotRunning } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { freshPostgres, postgresUrl } from "../fixtures/postgres.ts";

/** One person's task, and the instance ends. */
const sign = defineWorkflow({
  name: "sign",
  state: z.object({ by: z.string().optional() }),
  tasks: { start: tasks.start(), sign: tasks.updateView({ fields: ["by"] }), end: () => {} },
  edges: [
    ["start", "sign"],
    ["sign", "end"],
  ],
});

const CALLERS = 20;

describe.skipIf(!postgresUrl)("20 callers racing on PostgreSQL", () => {
  let env: TestEnv;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const postgres = await freshPostgres();
    drop = postgres.drop;
    env = await createTestEnv({ workflows: [sign], db: postgres.db });
  });
  afterAll(async () => {
    await env?.teardown();
    await drop?.();
  });

  async function signTask(workflowId: string) {
    const task = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "sign" && t.status === "scheduled");
    return task!;
  }

  it("tells the one who completed the last task it succeeded, and each of the others that it was closed", async () => {
    const { workflowId } = await env.joeflow.start(sign, { state: {} });
    const task = await signTask(workflowId);
    const results = await Promise.allSettled(
      Array.from({ length: CALLERS }, (_, i) =>
        env.joeflow.completeTask(task.id, { data: { by: `person ${i}` }, user: `person ${i}` }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(CALLERS - 1);
    for (const reason of lost) expect(reason).toBeInstanceOf(TaskNotOpen);
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("done");
    expect(instance.tasks.filter((t) => t.name === "end")).toHaveLength(1);
    expect((await env.joeflow.history(workflowId)).filter((h) => h.taskName === "sign")).toHaveLength(1);
  });

  it("answers overrides racing the last step with success: each reopens the instance where it says", async () => {
    const { workflowId } = await env.joeflow.start(sign, { state: {} });
    const task = await signTask(workflowId);
    const results = await Promise.allSettled([
      env.joeflow.completeTask(task.id, { data: { by: "ann" }, user: "ann" }),
      ...Array.from({ length: CALLERS }, () => env.joeflow.override(workflowId, { next: ["sign"], user: "manager" })),
    ]);
    const untyped = results.flatMap((r) =>
      r.status === "rejected" && !(r.reason instanceof JoeflowError) ? [String(r.reason)] : [],
    );
    expect(untyped).toEqual([]);
    const overrides = results.slice(1).filter((r) => r.status === "fulfilled");
    expect(overrides).toHaveLength(CALLERS);
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.filter((t) => t.name === "override")).toHaveLength(CALLERS);
    // The last override left its own "sign" open; every earlier one was cancelled by the next.
    expect(instance.tasks.filter((t) => t.name === "sign" && t.status === "scheduled")).toHaveLength(1);
    expect(instance.status).toBe("running");
  });

  it("refuses to cancel an instance that is done, and changes nothing", async () => {
    const { workflowId } = await env.joeflow.start(sign, { state: {} });
    await env.joeflow.completeTask((await signTask(workflowId)).id, { data: {}, user: "ann" });
    await env.idle(workflowId);
    const results = await Promise.allSettled(
      Array.from({ length: CALLERS }, () => env.joeflow.cancelWorkflow(workflowId, { user: "manager" })),
    );
    for (const result of results) {
      expect(result.status === "rejected" && result.reason).toBeInstanceOf(WorkflowNotRunning);
    }
    expect((await env.joeflow.get(workflowId)).status).toBe("done");
  });
});
