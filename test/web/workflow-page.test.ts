import { describe, expect, it } from "vitest";
import { shortId } from "joeflow";
import { shipping } from "../../examples/shipping.ts";
import { Browser, demoApp, openTask, taskRow } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("the workflow page", () => {
  it("cancels a task and then a whole workflow", async () => {
    const manager = new Browser(env.app);
    await manager.signIn("manager");
    const first = await env.order("5 Cancel Ct");
    const page = await manager.get(`/shipping/${first.workflowId}/`);
    const cancelPath = `/shipping/${first.workflowId}/tasks/${first.ship.id}/cancel`;
    // The button leads to a page that asks first; looking at it changes nothing.
    expect(taskRow(page.html, first.ship.id)).toContain(`<a class="button danger" href="${cancelPath}">Cancel…</a>`);
    const asked = await manager.get(cancelPath);
    expect(asked.status).toBe(200);
    expect(asked.html).toContain("<h1>Cancel the task “Ship”?</h1>");
    expect(asked.html).toContain(`<form method="post" action="${cancelPath}">`);
    expect(asked.html).toContain('<button type="submit" class="danger">Yes, cancel the task</button>');
    expect(asked.html).toContain(`<a class="button secondary" href="/shipping/${first.workflowId}/">No, go back</a>`);
    expect((await env.joeflow.get(first.workflowId)).tasks.find((t) => t.id === first.ship.id)!.status).toBe(
      "scheduled",
    );
    const canceled = await manager.post(cancelPath);
    expect(canceled.status).toBe(303);
    expect(canceled.location).toBe(`/shipping/${first.workflowId}/?done=cancelTask&task=ship`);
    const told = await manager.get(canceled.location!);
    expect(told.html).toContain('<p class="flash" role="status">Cancelled “Ship”.</p>');
    expect((await env.joeflow.get(first.workflowId)).tasks.find((t) => t.id === first.ship.id)).toMatchObject({
      status: "canceled",
      completedByUser: "manager",
    });
    expect((await manager.get(`/shipping/ship/${first.ship.id}/`)).html).toContain(
      "This task is closed: it is canceled.",
    );
    // Its confirmation page is gone with it.
    const closed = await manager.get(cancelPath);
    expect(closed.status).toBe(409);

    const second = await env.order("6 Cancel Ct");
    // A task of another workflow instance is not this one's.
    const stranger = await manager.post(`/shipping/${second.workflowId}/tasks/${first.ship.id}/cancel`);
    expect(stranger.status).toBe(404);
    expect(stranger.html).toContain("No such task in this workflow.");
    const page2 = await manager.get(`/shipping/${second.workflowId}/`);
    expect(page2.html).toContain(`<a class="button danger" href="/shipping/${second.workflowId}/cancel">`);
    expect((await manager.get(`/shipping/${second.workflowId}/cancel`)).html).toContain(
      "<h1>Cancel this Shipping workflow?</h1>",
    );
    const gone = await manager.post(`/shipping/${second.workflowId}/cancel`);
    expect(gone.status).toBe(303);
    expect(gone.location).toBe(`/shipping/${second.workflowId}/?done=cancelWorkflow`);
    const instance = await env.joeflow.get(second.workflowId);
    expect(instance.status).toBe("canceled");
    expect(instance.tasks.find((t) => t.id === second.ship.id)!.status).toBe("canceled");
    const after = await manager.get(`/shipping/${second.workflowId}/`);
    expect(after.html).toContain('<span class="status status-canceled">canceled</span>');
    expect(after.html).not.toContain("Cancel this workflow");

    const anonymous = new Browser(env.app);
    const third = await env.order();
    expect((await anonymous.post(`/shipping/${third.workflowId}/cancel`)).status).toBe(303); // to sign in
    expect((await env.joeflow.get(third.workflowId)).status).toBe("running");
    expect((await manager.post(`/shipping/not-an-id/cancel`)).status).toBe(404);
    expect((await manager.post(`/nope/${third.workflowId}/cancel`)).status).toBe(404);
  });
});

describe("page switches", () => {
  it("a workflow without its workflow page and override page: both 404, forms go to the front page", async () => {
    const plain = demoApp(env.joeflow, { workflows: [{ workflow: shipping, detailView: false, overrideView: false }] });
    const clerk = new Browser(plain);
    await clerk.signIn("manager");
    const started = await clerk.post("/shipping/checkout/", { shippingAddress: "13 Hidden Way" });
    expect(started.status).toBe(303);
    expect(started.location).toBe("/?done=start&workflow=shipping");
    expect((await clerk.get(started.location!)).html).toContain('<p class="flash" role="status">Started Shipping.</p>');
    const [latest] = (await env.joeflow.list({ name: "shipping", limit: 1 })).items;
    expect(latest!.state).toEqual({ shippingAddress: "13 Hidden Way" });
    const workflowId = latest!.id;

    const detail = await clerk.get(`/shipping/${workflowId}/`);
    expect(detail.status).toBe(404);
    expect(detail.html).toContain("This workflow has no such page.");
    const override = await clerk.get(`/shipping/${workflowId}/override`);
    expect(override.status).toBe(404);
    expect(override.html).toContain("This workflow has no override page.");
    expect((await clerk.post(`/shipping/${workflowId}/override`, { shippingAddress: "x", next: [] })).status).toBe(404);
    expect((await env.joeflow.get(workflowId)).state).toEqual({ shippingAddress: "13 Hidden Way" });
    const front = await clerk.get("/?name=shipping");
    expect(front.html).toContain(`Order to 13 Hidden Way <code title="${workflowId}">${shortId(workflowId)}</code>`);
    expect(front.html).not.toContain(`href="/shipping/${workflowId}/"`);

    const ship = await openTask(env.joeflow, workflowId, "ship");
    const shipped = await clerk.post(`/shipping/ship/${ship.id}/`, { trackingCode: "T-13" });
    expect(shipped.status).toBe(303);
    expect(shipped.location).toBe("/?done=completeTask&task=ship&workflow=shipping");

    // The same workflow on the full app still has both.
    expect((await new Browser(env.app).get(`/shipping/${workflowId}/`)).status).toBe(200);
  });
});
