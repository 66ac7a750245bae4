import { createWebApp } from "joeflow/web";
import { describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { assignee } from "../fixtures/workflows.ts";
import { Browser, fieldBlock, headerAuth } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("a manager overrides an order", () => {
  it("sees every state field, filled in, and a checkbox per task", async () => {
    const { workflowId } = await env.order("8 Override Ave");
    const manager = new Browser(env.app);
    await manager.signIn("manager");
    const form = await manager.get(`/shipping/${workflowId}/override`);
    expect(form.status).toBe(200);
    expect(form.html).toContain("<h1>Override Order to 8 Override Ave</h1>");
    expect(form.html).toContain(`<form method="post" action="/shipping/${workflowId}/override" novalidate>`);
    expect(fieldBlock(form.html, "shippingAddress")).toMatch(/>\s*8 Override Ave<\/textarea>/);
    expect(fieldBlock(form.html, "email")).toBeDefined();
    expect(fieldBlock(form.html, "trackingCode")).toBeDefined();
    for (const task of ["checkout", "ship", "hasEmail", "sendTrackingCode", "end"]) {
      expect(form.html).toContain(`<input type="checkbox" id="next-${task}" name="next" value="${task}">`);
    }
    // The open task is marked, and the page says the override cancels it.
    expect(form.html).toContain("Open now, and cancelled by the override:\n  <strong>Ship</strong>");
    const label = (task: string) => new RegExp(`<label for="next-${task}">[\\s\\S]*?</label>`).exec(form.html)?.[0];
    expect(label("ship")).toContain('<span class="status status-scheduled">open now</span>');
    expect(label("checkout")).not.toContain("open now");
  });

  it("refuses invalid input with 422, errors next to the fields, and changes nothing", async () => {
    const { workflowId } = await env.order("10 Same St");
    const before = await env.joeflow.get(workflowId);
    const manager = new Browser(env.app);
    await manager.signIn("manager");
    const reply = await manager.post(`/shipping/${workflowId}/override`, {
      shippingAddress: "",
      email: "nope",
      next: ["end"],
    });
    expect(reply.status).toBe(422);
    expect(fieldBlock(reply.html, "shippingAddress")).toContain("field-errors");
    expect(fieldBlock(reply.html, "email")).toContain("field-errors");
    expect(fieldBlock(reply.html, "email")).toContain('value="nope"');
    expect(reply.html).toContain('<input type="checkbox" id="next-end" name="next" value="end" checked>');
    expect(await env.joeflow.get(workflowId)).toEqual(before);

    const teleport = await manager.post(`/shipping/${workflowId}/override`, {
      shippingAddress: "10 Same St",
      next: ["teleport"],
    });
    expect(teleport.status).toBe(422);
    expect(teleport.html).toMatch(/<ul><li>[^<]*teleport[^<]*<\/li><\/ul>/);
    expect(await env.joeflow.get(workflowId)).toEqual(before);
  });

  it("is not for people who are not signed in, nor for those the auth refuses", async () => {
    const { workflowId } = await env.order();
    const path = `/shipping/${workflowId}/override`;
    const anonymous = await new Browser(env.app).get(path);
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe(`/signin?next=${encodeURIComponent(path)}`);
    const strict = createWebApp({
      joeflow: env.joeflow,
      workflows: [shipping],
      auth: headerAuth({ mayOverride: ["manager"] }),
    });
    expect((await new Browser(strict).get(path)).status).toBe(401);
    const ann = await new Browser(strict, { "x-user": "ann" }).get(path);
    expect(ann.status).toBe(403);
    expect(ann.html).toContain("You may not override here.");
    expect((await new Browser(strict, { "x-user": "ann" }).get(`/shipping/${workflowId}/`)).html).not.toContain(
      "Override</a>",
    );
    expect((await new Browser(strict, { "x-user": "manager" }).get(path)).status).toBe(200);
    expect((await new Browser(env.app).get(`/shipping/${crypto.randomUUID()}/override`)).status).toBe(404);
    expect((await new Browser(env.app).get(`/shipping/nope/override`)).status).toBe(404);
  });
});

/** Requests that must change nothing or lead nowhere: each was a bug once. */
describe("edge cases that must change nothing", () => {
  it("a HEAD request to an override page only shows it", async () => {
    const { workflowId } = await env.joeflow.start(assignee, { state: {} });
    const before = await env.joeflow.get(workflowId);
    const manager = new Browser(env.app);
    await manager.signIn("manager");
    const reply = await manager.request(`/assignee/${workflowId}/override`, { method: "HEAD" });
    expect(await env.joeflow.get(workflowId)).toEqual(before);
    expect(reply.status).toBe(200);
  });
});
