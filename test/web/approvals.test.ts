import { describe, expect, it } from "vitest";
import { Browser, openTask } from "./helpers.ts";
import { approval, useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("an approval: the person picks the way on", () => {
  it("refuses a way that is not an outgoing edge", async () => {
    const { workflowId } = await env.joeflow.start(approval, { state: { title: "Chair" } });
    const decide = await openTask(env.joeflow, workflowId, "decide");
    const boss = new Browser(env.app);
    const reply = await boss.post(`/approval/decide/${decide.id}/`, { _next: "request" });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(reply.html).toContain("not an outgoing edge");
    expect((await openTask(env.joeflow, workflowId, "decide")).id).toBe(decide.id);
  });
});

/** Requests that must change nothing or lead nowhere: each was a bug once. */
describe("edge cases that must change nothing", () => {
  it("a pickNext task posted without a choice is refused with 422", async () => {
    const { workflowId } = await env.joeflow.start(approval, { state: { title: "Lamp" } });
    const decide = await openTask(env.joeflow, workflowId, "decide");
    const reply = await new Browser(env.app).post(`/approval/decide/${decide.id}/`, {});
    await env.idle(workflowId);
    expect((await env.joeflow.get(workflowId)).tasks.map((t) => t.name)).not.toEqual([
      "request",
      "decide",
      "approve",
      "reject",
    ]);
    expect(reply.status).toBe(422);
    expect((await openTask(env.joeflow, workflowId, "decide")).id).toBe(decide.id);
  });
});
