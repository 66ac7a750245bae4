import { NotClaimed, TaskClaimed } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporalWorkflowId } from "../../src/interpreter/protocol.ts";
import { queue } from "../fixtures/workflows.ts";

describe("claims through the engine: Updates from the client, Signals from any Temporal client", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [queue] });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it("claims, releases, reassigns and completes a group's task, each recorded with who and when", async () => {
    const { workflowId } = await env.joeflow.start(queue, { state: { note: "one box" }, user: "clerk" });
    const pack = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "pack")!;
    await expect(env.joeflow.completeTask(pack.id, { data: {}, user: "ann", groups: ["warehouse"] })).rejects.toThrow(
      NotClaimed,
    );
    expect(await env.joeflow.claim(pack.id, { user: "ann", groups: ["warehouse"] })).toMatchObject({
      taskId: pack.id,
      status: "running",
    });
    await expect(env.joeflow.claim(pack.id, { user: "bob", groups: ["warehouse"] })).rejects.toThrow(TaskClaimed);
    const handle = env.temporal.client.workflow.getHandle(temporalWorkflowId("queue", workflowId));
    await handle.signal("release", { taskId: pack.id, user: "ann" });
    await env.idle(workflowId);
    expect((await env.joeflow.getTask(pack.id)).claimedBy).toBeNull();
    await env.joeflow.reassign(pack.id, { assignees: [{ user: "bob" }], user: "manager" });
    await env.joeflow.completeTask(pack.id, { data: { note: "packed" }, user: "bob" });
    await env.idle(workflowId);
    const actions = await env.joeflow.actions(workflowId);
    expect(actions.map((a) => [a.name, a.taskName, a.user])).toEqual([
      ["claim", "pack", "ann"],
      ["release", "pack", "ann"],
      ["reassign", "pack", "manager"],
      ["completeTask", "pack", "bob"],
    ]);
    expect(actions.every((a) => a.at instanceof Date)).toBe(true);
  });
});
