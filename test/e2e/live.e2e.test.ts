/**
 * End-to-end: live pages in a real headless Chromium, on the real engine (the time-skipping test env
 * with its worker). A warehouse worker keeps an order's workflow page open while the order is shipped
 * from another session (through the library, as the JSON API does); the machine tasks then run in the
 * worker, and the open page shows it all without being reloaded. The same person's inbox gains the
 * line of a new order as a clerk starts it elsewhere. The changes are made without waiting for the
 * page's script to connect: a change between the page's rendering and the connection is shown too.
 */
import { createTestEnv, type TestEnv } from "joeflow/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import type { Served } from "../../web/node.ts";
import { ARTIFACTS, launchChromium, serveDemo, skipBrowserTests } from "./chromium.ts";

describe.skipIf(skipBrowserTests)("live pages in a real browser", () => {
  let env: TestEnv;
  let server: Served;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    env = await createTestEnv({ workflows: [shipping] });
    server = await serveDemo(env.joeflow);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await env?.teardown();
  });

  /** A signed-in person's page; script errors and what the CSP blocks are collected as problems. */
  async function signedIn(name: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1100, height: 900 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
    });
    await page.goto("/signin");
    await page.getByLabel("Your name").fill(name);
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole("button", { name: "Sign in" }).click()]);
    return page;
  }

  /** Marks the loaded document: a reload (or any navigation) loses the mark. */
  const mark = (page: Page) => page.evaluate(() => Object.assign(window, { liveMark: "not reloaded" }));
  const marked = (page: Page) => page.evaluate(() => (window as { liveMark?: string }).liveMark);

  it("shows an order being shipped, and its machine tasks running, on the open workflow page", async () => {
    const { workflowId } = await env.joeflow.start(shipping, {
      state: { shippingAddress: "1 Live St", email: "ann@example.com" },
      user: "clerk",
    });
    const page = await signedIn("warehouse");
    await page.goto(`/shipping/${workflowId}/`);
    expect(await page.locator("h1 .status").innerText()).toBe("running");
    await page.screenshot({ path: `${ARTIFACTS}live-before.png`, fullPage: true });
    await mark(page);

    const ship = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
    await env.joeflow.completeTask(ship.id, { data: { trackingCode: "1Z-LIVE" }, user: "warehouse" });

    await page.waitForFunction(() => document.querySelector("h1 .status")?.textContent === "done");
    expect(await marked(page)).toBe("not reloaded");
    const rows = await page
      .locator("section[aria-labelledby=tasks-h] tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [1, 3, 5].map((i) => tr.children[i]?.textContent?.trim() ?? "")));
    expect(rows).toEqual([
      ["end", "succeeded", ""],
      ["sendTrackingCode", "succeeded", ""],
      ["hasEmail", "succeeded", ""],
      ["ship", "succeeded", "warehouse"],
      ["checkout", "succeeded", "clerk"],
    ]);
    expect(await page.locator("dl.state").innerText()).toContain("1Z-LIVE");
    expect(await page.locator("section[aria-labelledby=history-h]").innerText()).toContain("by warehouse");
    await page.screenshot({ path: `${ARTIFACTS}live-after.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it("adds a new order's task to the open inbox", async () => {
    const page = await signedIn("warehouse");
    await page.goto("/inbox");
    const lines = page.locator("table.tasks tbody tr");
    const before = await lines.count();
    await mark(page);

    const { workflowId } = await env.joeflow.start(shipping, {
      state: { shippingAddress: "2 Inbox St" },
      user: "clerk",
    });

    const line = page.locator("table.tasks tbody tr", { has: page.locator(`a[href="/shipping/${workflowId}/"]`) });
    await line.waitFor();
    expect(await lines.count()).toBe(before + 1);
    expect(await line.innerText()).toContain("Ship");
    expect(await marked(page)).toBe("not reloaded");
    expect(problems).toEqual([]);
  });
});
