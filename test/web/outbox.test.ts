// The demo's hooks: each event mailed to its outbox page, a new task's mail with a one-click link.
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../examples/mailer.ts";
import { notifications, outboxRoute } from "../../examples/notifications.ts";
import { shipping } from "../../examples/shipping.ts";
import { type MemoryJoeflow, memoryJoeflow } from "../fixtures/memory-joeflow.ts";
import { Browser, demoApp, unescapeHtml } from "./helpers.ts";

const linkSecret = "demo-link-secret";
let memory: MemoryJoeflow;
let app: Hono;
beforeAll(async () => {
  const on = notifications({ baseUrl: "http://demo.test", linkSecret, team: "warehouse" });
  memory = await memoryJoeflow([shipping], { on });
  app = demoApp(memory.joeflow, { workflows: [shipping], linkSecret, extend: outboxRoute });
});
afterAll(async () => {
  await memory?.close();
});

describe("the demo's outbox", () => {
  it("shows the mail its hooks sent, and the warehouse ships an order from its link", async () => {
    outbox.length = 0;
    const { workflowId } = await memory.joeflow.start(shipping, {
      state: { shippingAddress: "1 Mail St" },
      user: "clerk",
    });
    await memory.deliverEvents();
    const browser = new Browser(app);
    const page = await browser.get("/outbox");
    expect(page.status).toBe(200);
    expect(unescapeHtml(page.html)).toContain(`New task: ship (shipping ${workflowId.slice(0, 8)})`);
    expect(page.html).toContain("warehouse@example.com");
    expect(unescapeHtml(page.html)).toContain("taskCompleted checkout");

    const link = new URL(unescapeHtml(/href="(http:\/\/demo\.test\/shipping\/ship\/[^"]+)"/.exec(page.html)![1]!));
    const form = await browser.get(link.pathname + link.search);
    expect(form.status).toBe(200);
    const shipped = await browser.post(link.pathname + link.search, { trackingCode: "1Z-MAIL" });
    expect(shipped.status).toBe(303);
    const ship = (await memory.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
    expect(ship).toMatchObject({ status: "succeeded", completedByUser: "warehouse" });
    await memory.deliverEvents();
    expect(outbox.map((mail) => mail.subject)).toContainEqual(expect.stringMatching(/^taskCompleted ship /));
    expect(outbox.find((mail) => mail.subject.startsWith("taskCompleted ship"))!.body).toContain("by warehouse");
  });
});
