import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failing, fault, gateway, loop, notYet, parallel, splitJoin, wait } from "../fixtures/workflows.ts";

const eight = parallel(8);

describe("machine tasks on the time-skipping server", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [gateway, splitJoin, loop, wait, failing, notYet, eight] });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const names = async (workflowId: string) => (await env.joeflow.get(workflowId)).tasks.map((t) => t.name);

  it("takes the path a gateway picks", async () => {
    const monday = await env.joeflow.start(gateway, { state: { weekday: 0 } });
    const sunday = await env.joeflow.start(gateway, { state: { weekday: 6 } });
    await env.idle(monday.workflowId);
    await env.idle(sunday.workflowId);
    expect(await names(monday.workflowId)).toEqual(["start", "isWorkday", "work"]);
    expect(await names(sunday.workflowId)).toEqual(["start", "isWorkday", "chill"]);
    expect((await env.joeflow.get(sunday.workflowId)).status).toBe("done");
  });

  it("splits and joins: both branches count, the join runs once", async () => {
    const { workflowId } = await env.joeflow.start(splitJoin, { state: {} });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state.parallelTaskValue).toBe(2);
    expect(instance.tasks.filter((t) => t.name === "join")).toHaveLength(1);
    const join = instance.tasks.find((t) => t.name === "join")!;
    const parents = instance.tasks
      .filter((t) => join.parentIds.includes(t.id))
      .map((t) => t.name)
      .sort();
    expect(parents).toEqual(["batman", "robin"]);
    expect(instance.tasks.filter((t) => t.name === "end")).toHaveLength(1);
    expect(instance.status).toBe("done");
  });

  it("never loses an update of eight parallel branches", async () => {
    const { workflowId } = await env.joeflow.start(eight, { state: {} });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state.value).toBe(8);
    expect(instance.tasks.filter((t) => t.name === "join")).toHaveLength(1);
    expect(instance.status).toBe("done");
  });

  it("loops ten times, a new task for every visit", async () => {
    const { workflowId } = await env.joeflow.start(loop, { state: {} });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state.counter).toBe(10);
    expect(instance.tasks.filter((t) => t.name === "increment")).toHaveLength(10);
    expect((await env.joeflow.history(workflowId)).filter((c) => c.taskName === "increment")).toHaveLength(10);
  });

  it("waits three hours of workflow time without waiting in real time", async () => {
    const begin = Date.now();
    const { workflowId } = await env.joeflow.start(wait, { state: {} });
    await env.idle(workflowId);
    const tasks = (await env.joeflow.get(workflowId)).tasks;
    const waited = tasks.find((t) => t.name === "wait")!;
    expect(waited.status).toBe("succeeded");
    expect(waited.completed!.getTime() - waited.created.getTime()).toBeGreaterThanOrEqual(3 * 3_600_000);
    expect(tasks.map((t) => t.name)).toEqual(["start", "wait", "end"]);
    expect(Date.now() - begin).toBeLessThan(30_000);
  });

  it('records "Error: Boom!" with its stack, halts the branch, and reruns the same task once fixed', async () => {
    fault.broken = true;
    const { workflowId } = await env.joeflow.start(failing, { state: {} });
    await env.idle(workflowId);
    let instance = await env.joeflow.get(workflowId);
    const failed = instance.tasks.find((t) => t.name === "fail")!;
    expect(failed.status).toBe("failed");
    expect(failed.exception).toBe("Error: Boom!");
    expect(failed.stacktrace).toMatch(/Error: Boom!\n\s+at /);
    expect(instance.state.touched).toBe(false); // a throw discards the state changes
    expect(instance.status).toBe("running");
    expect((await env.joeflow.listTasks({ status: "failed", workflowId })).items.map((t) => t.id)).toEqual([failed.id]);

    fault.broken = false;
    await env.joeflow.rerun(failed.id, { user: "admin" });
    await env.idle(workflowId);
    instance = await env.joeflow.get(workflowId);
    const rerun = instance.tasks.find((t) => t.name === "fail")!;
    expect(rerun.id).toBe(failed.id);
    expect(rerun).toMatchObject({ status: "succeeded", exception: null, stacktrace: null, attempt: 2 });
    expect(instance.state.touched).toBe(true);
    expect(instance.status).toBe("done");
  });

  it('runs a task that says "not yet" again after a backoff, committing nothing meanwhile', async () => {
    fault.notYetUntil = 3;
    const { workflowId } = await env.joeflow.start(notYet, { state: {} });
    const began = Date.now();
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    const task = instance.tasks.find((t) => t.name === "waitForWeekend")!;
    expect(task.status).toBe("succeeded");
    // 1 minute, then 2 minutes of workflow time: two pauses before the third attempt.
    expect(task.completed!.getTime() - task.created.getTime()).toBeGreaterThanOrEqual(3 * 60_000);
    expect(instance.state.tries).toBe(1); // only the successful run's change is kept
    expect(instance.tasks.map((t) => t.name)).toEqual(["start", "waitForWeekend", "goHome"]);
    expect(Date.now() - began).toBeLessThan(30_000);
  });
});
