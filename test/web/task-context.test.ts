// no engine needed: a task form shows the case it decides; required fields are refused empty
import { defineWorkflow, tasks, WorkflowDefinitionError } from "joeflow";
import { createWebApp } from "joeflow/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { shipping } from "../../examples/shipping.ts";
import { memoryJoeflow, type MemoryJoeflow } from "../fixtures/memory-joeflow.ts";
import { Browser, fieldBlock, headerAuth, openTask, unescapeHtml } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

/** The case section of a task form as text: label → value. */
function caseShown(html: string): Record<string, string> {
  const section = /<section class="case"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
  const pairs = [...section.matchAll(/<dt>([^<]*)<\/dt>\s*<dd>([\s\S]*?)<\/dd>/g)];
  return Object.fromEntries(pairs.map(([, dt, dd]) => [dt!, unescapeHtml(dd!.replace(/<[^>]+>/g, "")).trim()]));
}

describe("the warehouse ships an order", () => {
  it("sees the address it ships to, the graph and what happened so far, beside the form", async () => {
    const { workflowId } = await env.joeflow.start(shipping, {
      state: { shippingAddress: "Ann Example\n1 Main St", email: "ann@example.com" },
      user: "clerk",
    });
    const ship = await openTask(env.joeflow, workflowId, "ship");
    const warehouse = new Browser(env.app);
    await warehouse.signIn("warehouse");
    const form = await warehouse.get(`/shipping/ship/${ship.id}/`);
    expect(form.status).toBe(200);
    // `show: ["shippingAddress"]` picks the address only; it is not an input.
    expect(caseShown(form.html)).toEqual({ "Shipping address": "Ann Example\n1 Main St" });
    expect(form.html).not.toContain('name="shippingAddress"');
    // The graph and the history are there, folded away.
    expect(form.html).toMatch(
      /<details class="context">\s*<summary>Graph of this workflow<\/summary>\s*<div class="graph"><svg/,
    );
    const history = /<summary>Recent history \(1\)<\/summary>[\s\S]*?<\/details>/.exec(form.html)?.[0] ?? "";
    expect(history).toMatch(/<strong>checkout<\/strong> by clerk/);
    expect(history).toContain("<li><code>email</code>: <del>—</del> → <ins>ann@example.com</ins></li>");
  });

  it("must enter the tracking code: the form marks it; the page and the API refuse an empty one", async () => {
    const { workflowId, ship } = await env.order("2 Required Rd");
    const before = await env.joeflow.get(workflowId);
    const warehouse = new Browser(env.app);
    await warehouse.signIn("warehouse");
    const form = await warehouse.get(`/shipping/ship/${ship.id}/`);
    expect(fieldBlock(form.html, "trackingCode")).toContain('<abbr title="required">*</abbr>');
    expect(fieldBlock(form.html, "trackingCode")).toMatch(
      /<input id="field-trackingCode" name="trackingCode" required/,
    );

    for (const trackingCode of ["", "   "]) {
      const refused = await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode });
      expect(refused.status).toBe(422);
      expect(refused.html).toContain("Please correct the errors below.");
      expect(fieldBlock(refused.html, "trackingCode")).toContain("<li>This field is required.</li>");
      expect(caseShown(refused.html)).toEqual({ "Shipping address": "2 Required Rd" }); // the case stays in view
    }
    const api = await warehouse.postJson(`/api/tasks/${ship.id}/complete`, { data: {} });
    expect(api.status).toBe(422);
    expect(JSON.parse(api.html).error).toMatchObject({
      code: "InvalidData",
      issues: [{ path: ["trackingCode"], message: "This field is required." }],
    });
    expect(await env.joeflow.get(workflowId)).toEqual(before);

    const shipped = await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "T-2" });
    expect(shipped.status).toBe(303);
    expect((await env.joeflow.get(workflowId)).state.trackingCode).toBe("T-2");
  });
});

/** A request with every kind of field the case shows, none of them edited by its "review" form. */
const leave = defineWorkflow({
  name: "leave",
  state: z.object({
    from: z.iso.date(),
    asked: z.iso.datetime(),
    urgent: z.boolean().default(false),
    kind: z.enum(["holiday", "sick"]),
    stand_in: z.string().optional().describe("user"),
    plan: z.object({ days: z.number(), note: z.string() }),
    decision: z.string().optional(),
  }),
  tasks: {
    ask: tasks.startView({ fields: ["from", "asked", "urgent", "kind", "stand_in", "plan"] }),
    review: tasks.updateView({ fields: ["decision"] }),
  },
  edges: [["ask", "review"]],
});

describe("a form shows by default every field it does not edit, each as its widget would", () => {
  let memory: MemoryJoeflow;
  beforeAll(async () => {
    memory = await memoryJoeflow([leave]);
  });
  afterAll(async () => {
    await memory?.close();
  });

  it("dates, a moment in UTC, yes/no, an enum's option, a person's name, an object as JSON", async () => {
    const { workflowId } = await memory.joeflow.start(leave, {
      state: {
        from: "2026-07-01",
        asked: "2026-06-01T09:30:00Z",
        urgent: true,
        kind: "sick",
        stand_in: "bob",
        plan: { days: 3, note: "rest" },
      },
    });
    const review = await openTask(memory.joeflow, workflowId, "review");
    const auth = { ...headerAuth(), directory: () => [{ id: "bob", name: "Bob Builder" }] };
    const app = createWebApp({ joeflow: memory.joeflow, workflows: [leave], auth });
    const form = await new Browser(app, { "x-user": "ann" }).get(`/leave/review/${review.id}/`);
    expect(form.status).toBe(200);
    expect(caseShown(form.html)).toEqual({
      From: "2026-07-01",
      Asked: "2026-06-01 09:30:00 UTC",
      Urgent: "yes",
      Kind: "sick", // as the select shows it
      "Stand in": "Bob Builder",
      Plan: '{\n  "days": 3,\n  "note": "rest"\n}',
    });
    expect(form.html).toContain('<time datetime="2026-06-01T09:30:00.000Z">2026-06-01 09:30:00 UTC</time>');
  });
});

describe("a definition's show and required name its fields", () => {
  it("refuses a shown field that is not in the state, and a required one the task does not edit", () => {
    const define = (review: ReturnType<typeof tasks.updateView<"a" | "b">>) => () =>
      defineWorkflow({
        name: "bad",
        state: z.object({ a: z.string().optional(), b: z.string().optional() }),
        tasks: { ask: tasks.startView({ fields: ["a"] }), review },
        edges: [["ask", "review"]],
      });
    expect(define(tasks.updateView({ fields: ["a"], show: ["nope" as "a"] }))).toThrow(WorkflowDefinitionError);
    expect(define(tasks.updateView({ fields: ["a"], show: ["nope" as "a"] }))).toThrow(
      /task "review" shows "nope", which is not a state field/,
    );
    expect(define(tasks.updateView({ fields: ["a"], required: ["b"] }))).toThrow(
      /task "review" requires "b", which it does not edit/,
    );
    expect(define(tasks.updateView({ fields: ["a"], show: ["b"], required: ["a"] }))).not.toThrow();
  });
});
