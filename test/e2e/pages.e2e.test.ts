/**
 * The pages on a phone and in the reader's time zone, in a real headless Chromium against the demo's
 * app on the in-memory engine (no Temporal: only human tasks are needed). Also leaves screenshots of
 * the inbox and the Ship form in test/e2e/artifacts/ for a reviewer to look at.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { type Served, serveNode } from "../../web/node.ts";
import { memoryJoeflow, type MemoryJoeflow } from "../fixtures/memory-joeflow.ts";
import { demoApp } from "../web/helpers.ts";
import { ARTIFACTS, launchChromium, skipBrowserTests } from "./chromium.ts";

/** Screenshots are named `{page}-{label}.png`; "after" unless told (the "before" shots were taken so). */
const LABEL = process.env.JOEFLOW_SCREENSHOT_LABEL ?? "after";

describe.skipIf(skipBrowserTests)("the pages on a phone, in the reader's time zone", () => {
  let memory: MemoryJoeflow;
  let server: Served;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let shipUrl = "";
  let orderId = "";

  beforeAll(async () => {
    memory = await memoryJoeflow([shipping]);
    server = await serveNode(demoApp(memory.joeflow, { workflows: [shipping] }), { port: 0, hostname: "127.0.0.1" });
    browser = await launchChromium();
    for (const [i, address] of [
      "Ann Example\n1 Main St\nSpringfield",
      "Bob Example\n2 Side St\nShelbyville",
    ].entries()) {
      const { workflowId } = await memory.joeflow.start(shipping, {
        state: { shippingAddress: address, email: i === 0 ? "ann@example.com" : undefined },
        user: "clerk",
      });
      const ship = (await memory.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
      shipUrl = `/shipping/ship/${ship.id}/`;
      orderId = workflowId;
    }
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
    await memory?.close();
  });

  async function person(name: string, options: { width: number; timezoneId?: string }): Promise<Page> {
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: options.width, height: 800 },
      timezoneId: options.timezoneId,
    });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto("/signin");
    await page.getByLabel("Your name").fill(name);
    await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Sign in" }).click()]);
    return page;
  }

  /** Elements that reach past the right edge of the screen (none inside a box that scrolls on its own). */
  const overflowing = (page: Page) =>
    page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const scrolls = (el: Element | null): boolean =>
        el !== null && (getComputedStyle(el).overflowX === "auto" || scrolls(el.parentElement));
      const wide = Array.from(document.querySelectorAll("body *")).filter(
        (el) => el.getBoundingClientRect().right > width + 0.5 && !scrolls(el.parentElement),
      );
      return {
        width,
        scrollWidth: document.documentElement.scrollWidth,
        wide: wide.map((el) => el.outerHTML.slice(0, 80)),
      };
    });

  it("fits a 390 px screen: no page scrolls sideways, and the task table is a list of cards", async () => {
    const phone = await person("warehouse", { width: 390 });
    const detail = `/shipping/${orderId}/`;
    for (const path of ["/", "/inbox", shipUrl, detail, `${detail}override`, `${detail}cancel`]) {
      await phone.goto(path);
      expect({ path, ...(await overflowing(phone)) }).toEqual({ path, width: 390, scrollWidth: 390, wide: [] });
    }
    await phone.goto(detail);
    const cell = phone.locator("section[aria-labelledby=tasks-h] tbody tr td[data-label=status]").first();
    expect(await cell.evaluate((td) => getComputedStyle(td, "::before").content)).toBe('"status: "');
  });

  it("shows times in the reader's time zone, UTC on hover; without JavaScript in UTC", async () => {
    const reader = await person("warehouse", { width: 1100, timezoneId: "Asia/Kolkata" });
    await reader.goto("/inbox");
    const time = reader.locator("time[datetime]").first();
    const datetime = (await time.getAttribute("datetime"))!;
    // India is 5:30 ahead of UTC, all year.
    const there = new Date(Date.parse(datetime) + 5.5 * 3600_000).toISOString().replace("T", " ").slice(0, 19);
    expect(await time.innerText()).toBe(`${there} GMT+5:30`);
    expect(await time.getAttribute("title")).toBe(`${datetime.replace("T", " ").slice(0, 19)} UTC`);

    const context = await browser.newContext({
      baseURL: server.url,
      javaScriptEnabled: false,
      timezoneId: "Asia/Kolkata",
    });
    contexts.push(context);
    const plain = await context.newPage();
    await plain.goto("/");
    const first = plain.locator("time[datetime]").first();
    expect(await first.innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  });

  it("leaves screenshots of the inbox and the Ship form", async () => {
    const shot = (page: Page, name: string) =>
      page.screenshot({ path: `${ARTIFACTS}${name}-${LABEL}.png`, fullPage: true });
    const page = await person("warehouse", { width: 1100, timezoneId: "Europe/Berlin" });
    await page.goto("/inbox");
    await shot(page, "inbox");
    await page.goto(shipUrl);
    await shot(page, "task-form");
    const phone = await person("warehouse", { width: 390, timezoneId: "Europe/Berlin" });
    await phone.goto(shipUrl);
    await shot(phone, "task-form-phone");
    await phone.goto(`/shipping/${orderId}/`);
    await shot(phone, "workflow-phone");
    if (LABEL === "before") return; // what follows is new
    // The case opened up; an empty tracking code refused; a cancel that asks first; the message after.
    await page.goto(shipUrl);
    for (const summary of await page.locator("details.context summary").all()) await summary.click();
    await shot(page, "task-form-open");
    await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Complete" }).click()]);
    expect(await page.locator("#field-trackingCode-errors").innerText()).toBe("This field is required.");
    await shot(page, "task-form-refused");
    await phone.goto(`/shipping/${orderId}/`);
    await Promise.all([phone.waitForEvent("load"), phone.getByRole("link", { name: "Cancel…" }).click()]);
    await shot(phone, "cancel-confirm-phone");
    await Promise.all([
      phone.waitForEvent("load"),
      phone.getByRole("button", { name: "Yes, cancel the task" }).click(),
    ]);
    expect(await phone.getByRole("status").innerText()).toBe("Cancelled “Ship”.");
    expect(new URL(phone.url()).search).toBe(""); // the message's code left the address bar
    await shot(phone, "after-cancel-phone");
  });
});
