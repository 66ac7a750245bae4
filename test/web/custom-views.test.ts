/** Making the app your own: human tasks served by your handlers, your templates, and URLs by name. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createUrls } from "joeflow/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { Browser, demoApp } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("your own templates", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "joeflow-templates-"));
    mkdirSync(join(folder, "shipping"));
    writeFileSync(
      join(folder, "shipping", "ship.eta"),
      [
        '<% layout("layout") %>',
        "<h1>Warehouse: ship order <%= it.instance.id %></h1>",
        '<form method="post" action="<%= it.action %>">',
        '  <input type="hidden" name="_csrf" value="<%= it.csrf %>">',
        '  <label for="tc">Tracking code from the label</label>',
        '  <input id="tc" name="trackingCode" value="<%= it.values.trackingCode %>">',
        "  <button>Shipped</button>",
        "</form>",
      ].join("\n"),
    );
  });
  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("replaces only the form it names, inside our layout", async () => {
    const themed = demoApp(env.joeflow, { workflows: [shipping], templates: folder });
    const warehouse = new Browser(themed);
    await warehouse.signIn("warehouse");
    const { workflowId, ship } = await env.order("16 Theme St");
    const form = await warehouse.get(`/shipping/ship/${ship.id}/`);
    expect(form.status).toBe(200);
    expect(form.html).toContain(`<h1>Warehouse: ship order ${workflowId}</h1>`);
    expect(form.html).toContain('<link rel="stylesheet" href="/static/joeflow.css">'); // our layout
    expect(form.html).toContain("Signed in as <strong>warehouse</strong>");
    expect(form.html).not.toContain("field-trackingCode");
    // Other forms stay ours.
    expect((await warehouse.get("/shipping/checkout/")).html).toContain('id="field-shippingAddress"');
    const shipped = await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "T-16" });
    expect(shipped.status).toBe(303);
    expect((await env.joeflow.get(workflowId)).state.trackingCode).toBe("T-16");
  });
});

describe("URLs by name", () => {
  it("reverses start views, tasks, workflow pages and overrides", async () => {
    const urls = createUrls();
    const { workflowId, ship } = await env.order();
    expect(urls.reverse("shipping:ship", ship)).toBe(`/shipping/ship/${ship.id}/`);
    expect(urls.reverse("shipping:ship", ship.id)).toBe(`/shipping/ship/${ship.id}/`);
    expect(urls.reverse("shipping:checkout")).toBe("/shipping/checkout/");
    expect(urls.reverse("shipping:detail", workflowId)).toBe(`/shipping/${workflowId}/`);
    expect(urls.reverse("shipping:detail", { id: workflowId })).toBe(`/shipping/${workflowId}/`);
    expect(urls.reverse("shipping:override", workflowId)).toBe(`/shipping/${workflowId}/override`);
    expect(() => urls.reverse("shipping:detail")).toThrow(/needs an id/);
    expect(() => urls.reverse("shipping")).toThrow(/Not a route/);
    expect(createUrls("/flows/").reverse("shipping:checkout")).toBe("/flows/shipping/checkout/");

    // And the app answers at each of them.
    const manager = new Browser(env.app);
    await manager.signIn("manager");
    for (const url of [
      urls.reverse("shipping:ship", ship),
      urls.reverse("shipping:checkout"),
      urls.reverse("shipping:detail", workflowId),
      urls.reverse("shipping:override", workflowId),
    ]) {
      expect((await manager.get(url)).status, url).toBe(200);
    }
  });
});
