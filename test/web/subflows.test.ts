// no engine needed: the interpreter's two steps (start the child, create it) are the real activities, called here.
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActivities } from "../../worker/activities.ts";
import { review, reviewed } from "../fixtures/subflows.ts";
import { type MemoryJoeflow, memoryJoeflow } from "../fixtures/memory-joeflow.ts";
import { Browser, demoApp, openTask } from "./helpers.ts";

describe("the pages of a parent and its sub-workflow", () => {
  const workflows = [reviewed, review];
  let memory: MemoryJoeflow;
  let app: Hono;
  beforeAll(async () => {
    memory = await memoryJoeflow(workflows);
    app = demoApp(memory.joeflow, { workflows });
  });
  afterAll(async () => {
    await memory?.close();
  });

  it("link each other: the subflow task to its child, the child to its parent and the task", async () => {
    const { workflowId } = await memory.joeflow.start(reviewed, { state: { items: 2 }, user: "clerk" });
    const reviewing = await openTask(memory.joeflow, workflowId, "reviewing");
    const activities = createActivities(memory.db, workflows);
    const started = await activities.startSubflow({ workflowId, taskId: reviewing.id, attempt: 1, at: Date.now() });
    if (started.kind !== "start") throw new Error(`the child did not start: ${started.kind}`);
    const childId = started.child.workflowId;
    await activities.createInstance({
      workflowId: childId,
      graph: started.graph,
      task: started.task,
      taskId: crypto.randomUUID(),
      state: started.state,
      user: null,
      at: Date.now(),
      parent: { workflowId, name: "reviewed", taskId: reviewing.id },
    });

    const manager = new Browser(app);
    await manager.signIn("manager");
    const parentPage = await manager.get(`/reviewed/${workflowId}/`);
    expect(parentPage.status).toBe(200);
    expect(parentPage.html).toContain(`<a class="child" href="/review/${childId}/">sub-workflow</a>`);
    const childPage = await manager.get(`/review/${childId}/`);
    expect(childPage.status).toBe(200);
    expect(childPage.html).toMatch(
      new RegExp(`sub-workflow of <a class="parent" href="/reviewed/${workflowId}/">[^<]+</a>\\s*\\(task reviewing\\)`),
    );
    // The JSON API says the same (its OpenAPI document lists both fields).
    const parentJson = JSON.parse((await manager.get(`/api/reviewed/${workflowId}`)).html);
    expect(parentJson.tasks.find((t: { name: string }) => t.name === "reviewing").childWorkflowId).toBe(childId);
    const childJson = JSON.parse((await manager.get(`/api/review/${childId}`)).html);
    expect(childJson.parent).toEqual({ workflowId, taskId: reviewing.id });
  });
});
