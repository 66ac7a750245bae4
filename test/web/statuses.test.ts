// no engine needed: cancelling is a message applied by the store's transactions (the memory story)
import { describe, expect, it } from "vitest";
import { Browser } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("statuses that tell the truth", () => {
  it("calls an order whose only open task was cancelled canceled, not done, and lists it so", async () => {
    const { workflowId, ship } = await env.order("9 Cancelled Rd");
    const manager = new Browser(env.app);
    await manager.signIn("manager");
    expect((await manager.post(`/shipping/${workflowId}/tasks/${ship.id}/cancel`)).status).toBe(303);
    expect((await env.joeflow.get(workflowId)).status).toBe("canceled");
    const page = await manager.get(`/shipping/${workflowId}/`);
    expect(page.html).toContain('<span class="status status-canceled">canceled</span></h1>');
    expect(page.html).toMatch(/<span class="status status-canceled">canceled<\/span><\/td>/);
    expect((await env.joeflow.list({ status: "canceled" })).items.map((w) => w.id)).toContain(workflowId);
    expect((await env.joeflow.list({ status: "done" })).items.map((w) => w.id)).not.toContain(workflowId);
  });
});
