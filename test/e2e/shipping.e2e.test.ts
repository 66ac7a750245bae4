/**
 * End-to-end: the shipping demo in a real headless Chromium (Debian's, driven by playwright-core),
 * against the web app on a loopback port, on a time-skipping test env. Each story asserts what a
 * person sees on the page; the engine is asked only to count what was (not) written.
 */
import { shortId } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import type { Served } from "../../web/node.ts";
import { ARTIFACTS, CHROMIUM, launchChromium, serveDemo, skipBrowserTests } from "./chromium.ts";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const DETAIL = new RegExp(`/shipping/(${UUID})/$`);
const TASK_NAMES = ["checkout", "ship", "hasEmail", "sendTrackingCode", "end"];

if (skipBrowserTests) {
  console.warn(`skipping the browser tests: no Chromium at ${CHROMIUM} (install chromium or set JOEFLOW_CHROMIUM)`);
}

describe.skipIf(skipBrowserTests)("the shipping demo in a real browser", () => {
  let env: TestEnv;
  let server: Served;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Requests the pages made to anywhere but our server (a CDN, a font): there must be none. */
  const foreign: string[] = [];
  /** Script errors in any page. */
  const pageErrors: string[] = [];
  /** What the Content-Security-Policy blocked in any page, as Chromium logs it: there must be nothing. */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    env = await createTestEnv({ workflows: [shipping] });
    server = await serveDemo(env.joeflow);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
    await env?.teardown();
  });

  /** A browser of its own (cookies and all) for one person, signed in through the sign-in page. */
  async function personBrowser(name: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1100, height: 900 } });
    context.setDefaultTimeout(15_000);
    context.on("request", (request) => {
      if (!request.url().startsWith(server.url)) foreign.push(request.url());
    });
    context.on("page", watch);
    contexts.push(context);
    const page = await context.newPage();
    watch(page);
    await page.goto("/signin");
    await page.getByLabel("Your name").fill(name);
    await navigation(page, () => page.getByRole("button", { name: "Sign in" }).click());
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await page.locator("header .who").innerText()).toContain(`Signed in as ${name}`);
    return { context, page };
  }

  const watched = new WeakSet<Page>();
  function watch(page: Page): void {
    if (watched.has(page)) return;
    watched.add(page);
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
  }

  /**
   * Does what starts a navigation (a click on a link or a submit button) and waits for the new
   * document to load; answers the status of that document (after any redirect).
   */
  async function navigation(page: Page, act: () => Promise<unknown>): Promise<number> {
    const response = page.waitForResponse(
      (r) =>
        r.request().isNavigationRequest() &&
        r.request().frame() === page.mainFrame() &&
        (r.status() < 300 || r.status() >= 400),
    );
    const loaded = page.waitForEvent("load");
    await act();
    const [document] = await Promise.all([response, loaded]);
    return document.status();
  }

  const workflowIdOf = (page: Page): string => {
    const match = DETAIL.exec(new URL(page.url()).pathname);
    if (!match) throw new Error(`Not on a workflow page: ${page.url()}`);
    return match[1]!;
  };

  /** The row of the workflow page's task table for the (latest) task of this name. */
  const taskRow = (page: Page, name: string): Locator =>
    page
      .locator("section[aria-labelledby=tasks-h] tbody tr")
      .filter({ has: page.locator("td:nth-child(2)", { hasText: new RegExp(`^${name}$`) }) });

  /** The task table as a person reads it: [task, type, status, by], newest first. */
  async function taskTable(page: Page): Promise<string[][]> {
    return await page
      .locator("section[aria-labelledby=tasks-h] tbody tr")
      .evaluateAll((rows) =>
        rows.map((row) => [1, 2, 3, 5].map((column) => (row.children[column]?.textContent ?? "").trim())),
      );
  }

  /** The state as shown: a definition list of field → value. */
  async function shownState(page: Page): Promise<Record<string, string>> {
    const pairs = await page
      .locator("dl.state")
      .evaluate((dl) =>
        Array.from(dl.querySelectorAll("dt")).map((dt) => [
          dt.textContent?.trim() ?? "",
          dt.nextElementSibling?.textContent?.trim() ?? "",
        ]),
      );
    return Object.fromEntries(pairs);
  }

  /** The graph's node labels as drawn in the SVG (Graphviz's text elements in each node group). */
  async function graphNodes(page: Page): Promise<string[]> {
    return await page.locator(".graph svg g.node").evaluateAll((nodes) =>
      nodes.map((node) =>
        Array.from(node.querySelectorAll("text"))
          .map((t) => t.textContent ?? "")
          .join(" ")
          .trim(),
      ),
    );
  }

  const count = async () => (await env.joeflow.list({ limit: 500 })).items.length;

  let orderId = "";
  let orderUrl = "";

  it("1. a clerk starts a shipping order in the form and lands on its workflow page", async () => {
    const { page } = await personBrowser("clerk");
    await expect(page.getByRole("heading", { level: 1 }).innerText()).resolves.toBe("Workflows");
    const before = await count();

    await navigation(page, () => page.getByRole("link", { name: "Start: Checkout" }).click());
    expect(new URL(page.url()).pathname).toBe("/shipping/checkout/");
    await expect(page.getByRole("heading", { level: 1 }).innerText()).resolves.toBe("Checkout");
    const address = page.getByLabel("Shipping address");
    expect(await address.evaluate((el) => el.tagName)).toBe("TEXTAREA");
    expect(await address.getAttribute("required")).not.toBeNull();
    const email = page.getByLabel("Email", { exact: true });
    expect(await email.getAttribute("type")).toBe("email");
    await address.fill("Ann Example\n1 Main St\nSpringfield");
    await email.fill("ann@example.com");
    const status = await navigation(page, () => page.getByRole("button", { name: "Start" }).click());

    expect(status).toBe(200);
    orderId = workflowIdOf(page);
    orderUrl = new URL(page.url()).pathname;
    expect(await count()).toBe(before + 1);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(
      /^Order to Ann Example 1 Main St Springfield\s+running$/,
    );
    expect(await page.locator("p.meta").innerText()).toContain(orderId);
    expect(await taskTable(page)).toEqual([
      ["ship", "human", "scheduled", ""],
      ["checkout", "human", "succeeded", "clerk"],
    ]);
    // The open task links to its form; the done one does not.
    const shipLink = taskRow(page, "ship").getByRole("link", { name: "ship", exact: true });
    const ship = (await env.joeflow.get(orderId)).tasks.find((t) => t.name === "ship")!;
    expect(await shipLink.getAttribute("href")).toBe(`/shipping/ship/${ship.id}/`);
    expect(await taskRow(page, "checkout").getByRole("link").count()).toBe(0);
    expect(await shownState(page)).toEqual({
      shippingAddress: "Ann Example\n1 Main St\nSpringfield",
      email: "ann@example.com",
    });
    // The history says who started it with what.
    const history = page.locator("section[aria-labelledby=history-h] ol.history > li");
    expect(await history.count()).toBe(1);
    expect(await history.first().innerText()).toMatch(/checkout\s+by clerk/);
    // The graph is a picture, drawn with all the workflow's tasks.
    const svg = page.locator(".graph svg");
    expect(await svg.count()).toBe(1);
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(50);
    expect(box!.height).toBeGreaterThan(50);
    const nodes = await graphNodes(page);
    for (const name of ["checkout", "ship"]) expect(nodes.some((label) => label.includes(name))).toBe(true);
    // The open task's node links to its form as well.
    const graphLinks = await page
      .locator(".graph svg a")
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute("href") ?? a.getAttributeNS("http://www.w3.org/1999/xlink", "href")),
      );
    expect(graphLinks).toContain(`/shipping/ship/${ship.id}/`);
  });

  it(
    "2. the warehouse follows the ship link, enters the tracking code, " + "and the machines finish the order",
    async () => {
      expect(orderId).not.toBe("");
      const { page } = await personBrowser("warehouse");
      // The inbox lists the open task too.
      await navigation(page, () =>
        page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click(),
      );
      const inboxEntry = page.locator("#tasks tr").filter({ hasText: shortId(orderId) });
      expect(await inboxEntry.getByRole("link", { name: "Ship" }).count()).toBe(1);

      await page.goto(orderUrl);
      await navigation(page, () => taskRow(page, "ship").getByRole("link", { name: "ship", exact: true }).click());
      expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/shipping/ship/${UUID}/$`));
      await expect(page.getByRole("heading", { level: 1 }).innerText()).resolves.toBe("Ship");
      expect(await page.locator("p.meta").innerText()).toContain(orderId);
      // Only the task's own fields are asked for.
      expect(await page.locator("form[method=post] :is(input, textarea, select):not([type=hidden])").count()).toBe(1);
      await page.getByLabel("Tracking code").fill("TRACK-123");
      const status = await navigation(page, () => page.getByRole("button", { name: "Complete" }).click());
      expect(status).toBe(200);
      expect(new URL(page.url()).pathname).toBe(orderUrl);
      // The page already shows the task done (the machine tasks may still be on their way).
      expect(await taskRow(page, "ship").locator("td:nth-child(4)").innerText()).toBe("succeeded");
      expect(await taskRow(page, "ship").locator("td:nth-child(6)").innerText()).toBe("warehouse");

      await env.idle(orderId);
      await page.reload();
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(/^Order to Ann Example .*\s+done$/);
      expect(await taskTable(page)).toEqual([
        ["end", "machine", "succeeded", ""],
        ["sendTrackingCode", "machine", "succeeded", ""],
        ["hasEmail", "machine", "succeeded", ""],
        ["ship", "human", "succeeded", "warehouse"],
        ["checkout", "human", "succeeded", "clerk"],
      ]);
      expect(await page.locator("section[aria-labelledby=tasks-h] tbody a").count()).toBe(0);
      expect(await shownState(page)).toMatchObject({ trackingCode: "TRACK-123" });
      const nodes = await graphNodes(page);
      for (const name of TASK_NAMES)
        expect(
          nodes.some((label) => label.includes(name)),
          `graph node ${name} in ${nodes.join(", ")}`,
        ).toBe(true);
      // The history shows who changed what. (Only the entries with a change are checked: the engine
      // also records machine tasks that changed nothing, see the report on recordStateChange.)
      const changes = await page
        .locator("section[aria-labelledby=history-h] ol.history > li")
        .filter({ has: page.locator("ul li") })
        .allInnerTexts();
      expect(changes).toHaveLength(2);
      expect(changes[0]).toMatch(/checkout\s+by clerk[\s\S]*email: — → ann@example\.com/);
      expect(changes[1]).toMatch(/ship\s+by warehouse[\s\S]*trackingCode: — → TRACK-123/);

      await page.screenshot({ path: `${ARTIFACTS}workflow-done.png`, fullPage: true });
    },
  );

  it("3. invalid data shows the errors by their fields, keeps what was typed, and creates nothing", async () => {
    const { page } = await personBrowser("clerk");
    const before = await count();
    await page.goto("/shipping/checkout/");
    await page.getByLabel("Shipping address").fill("");
    await page.getByLabel("Email", { exact: true }).fill("not-an-email");
    const status = await navigation(page, () => page.getByRole("button", { name: "Start" }).click());

    expect(status).toBe(422);
    expect(new URL(page.url()).pathname).toBe("/shipping/checkout/");
    expect(await page.getByRole("alert").innerText()).toContain("Please correct the errors below.");
    const address = page.getByLabel("Shipping address");
    const email = page.getByLabel("Email", { exact: true });
    expect(await address.getAttribute("aria-invalid")).toBe("true");
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    // Each error is next to its field, and the field points at it for screen readers.
    for (const [field, id] of [
      [address, "field-shippingAddress"],
      [email, "field-email"],
    ] as const) {
      expect((await field.getAttribute("aria-describedby"))?.split(" ")).toContain(`${id}-errors`);
      const errors = page.locator(`#${id}-errors`);
      expect((await errors.innerText()).trim()).not.toBe("");
      expect(
        await errors.evaluate((el, input) => el.parentElement === document.getElementById(input)?.parentElement, id),
      ).toBe(true);
    }
    expect(await page.locator("#field-email-errors").innerText()).toMatch(/email/i);
    expect(await email.inputValue()).toBe("not-an-email");
    expect(await address.inputValue()).toBe("");
    expect(await count()).toBe(before);
    await page.screenshot({ path: `${ARTIFACTS}checkout-invalid.png`, fullPage: true });

    // Fixing it goes through.
    await address.fill("2 Side St");
    await email.fill("bob@example.com");
    expect(await navigation(page, () => page.getByRole("button", { name: "Start" }).click())).toBe(200);
    expect(new URL(page.url()).pathname).toMatch(DETAIL);
    expect(await count()).toBe(before + 1);
  });

  it("3b. what a person types is shown as text, never run as markup", async () => {
    const { page } = await personBrowser("clerk");
    const evil = `<img src=x onerror="window.__owned = 1"><script>window.__owned = 2</script>`;
    await page.goto("/shipping/checkout/");
    await page.getByLabel("Shipping address").fill(evil);
    expect(await navigation(page, () => page.getByRole("button", { name: "Start" }).click())).toBe(200);
    expect(new URL(page.url()).pathname).toMatch(DETAIL);
    expect((await shownState(page)).shippingAddress).toBe(evil);
    expect(await page.locator("main img, main script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
  });

  it("4. one task submitted from two tabs: the first wins, the second is told the task is closed", async () => {
    const { workflowId } = await env.joeflow.start(shipping, {
      state: { shippingAddress: "3 Twin Rd" },
      user: "clerk",
    });
    const ship = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
    const { context } = await personBrowser("warehouse");
    const first = await context.newPage();
    const second = await context.newPage();
    await first.goto(`/shipping/ship/${ship.id}/`);
    await second.goto(`/shipping/ship/${ship.id}/`);
    await first.getByLabel("Tracking code").fill("FIRST");
    await second.getByLabel("Tracking code").fill("SECOND");

    expect(await navigation(first, () => first.getByRole("button", { name: "Complete" }).click())).toBe(200);
    expect(new URL(first.url()).pathname).toBe(`/shipping/${workflowId}/`);
    expect(await navigation(second, () => second.getByRole("button", { name: "Complete" }).click())).toBe(404);
    expect(await second.getByRole("heading", { level: 1 }).innerText()).toBe("Not found");
    expect(await second.locator("main").innerText()).toMatch(/This task is closed: it is succeeded\./);
    expect(await second.getByRole("link", { name: "Back to the workflows" }).count()).toBe(1);
    // And opening it again says the same.
    expect(await navigation(second, () => second.reload())).toBe(404);

    const history = (await env.joeflow.history(workflowId)).filter((change) => change.taskName === "ship");
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ user: "warehouse", after: { trackingCode: "FIRST" } });
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.filter((t) => t.name === "ship").map((t) => t.status)).toEqual(["succeeded"]);
    expect(instance.state.trackingCode).toBe("FIRST");
  });

  it("4b. the same task submitted from two tabs at once: exactly one wins, the other learns it is closed", async () => {
    const { workflowId } = await env.joeflow.start(shipping, {
      state: { shippingAddress: "4 Race Ln" },
      user: "clerk",
    });
    const ship = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
    const { context } = await personBrowser("warehouse");
    const tabs = [await context.newPage(), await context.newPage()];
    for (const [i, tab] of tabs.entries()) {
      await tab.goto(`/shipping/ship/${ship.id}/`);
      await tab.getByLabel("Tracking code").fill(`TAB-${i}`);
    }
    const statuses = await Promise.all(
      tabs.map((tab) => navigation(tab, () => tab.getByRole("button", { name: "Complete" }).click())),
    );

    const winner = statuses.indexOf(200);
    expect(winner, `statuses ${statuses.join(", ")}`).not.toBe(-1);
    const loser = tabs[1 - winner]!;
    expect(new URL(tabs[winner]!.url()).pathname).toBe(`/shipping/${workflowId}/`);
    // Both arrive while the task looks open, so the loser's is refused by the engine (TaskNotOpen,
    // shown as 409) or, if the winner was already recorded, by the task page (404).
    expect([404, 409]).toContain(statuses[1 - winner]);
    expect(await loser.locator("main").innerText()).toMatch(/closed|not open/);
    const history = (await env.joeflow.history(workflowId)).filter((change) => change.taskName === "ship");
    expect(history).toHaveLength(1);
    expect(history[0]!.after.trackingCode).toBe(`TAB-${winner}`);
  });

  it("5. a manager overrides an order: the open task is canceled, the state changed, the chosen task run", async () => {
    const { workflowId } = await env.joeflow.start(shipping, {
      state: { shippingAddress: "5 Stuck St", email: "carol@example.com" },
      user: "clerk",
    });
    const { page } = await personBrowser("manager");
    await page.goto(`/shipping/${workflowId}/`);
    await navigation(page, () => page.getByRole("link", { name: "Override" }).click());
    expect(new URL(page.url()).pathname).toBe(`/shipping/${workflowId}/override`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Override Order to 5 Stuck St");
    // Every state field, with the current values, and every task to go on with.
    const stateFields = page.getByRole("group", { name: "State" });
    expect(await stateFields.getByLabel("Shipping address").inputValue()).toBe("5 Stuck St");
    expect(await stateFields.getByLabel("Email").inputValue()).toBe("carol@example.com");
    expect(await stateFields.getByLabel("Tracking code").inputValue()).toBe("");
    const nextTasks = page.getByRole("group", { name: "Next tasks" });
    // (Sorted: the page lists them in the stored graph's jsonb key order, not the definition's; see the report.)
    expect(
      (
        await nextTasks
          .getByRole("checkbox")
          .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value))
      ).sort(),
    ).toEqual([...TASK_NAMES].sort());
    expect(await nextTasks.getByRole("checkbox", { checked: true }).count()).toBe(0);

    await stateFields.getByLabel("Tracking code").fill("BY-HAND");
    await nextTasks.getByRole("checkbox", { name: /Has email/ }).check();
    // The override asks first, saying what it will do; nothing has changed yet.
    expect(await navigation(page, () => page.getByRole("button", { name: "Override…" }).click())).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Override Shipping?");
    expect(await page.locator("ul.summary").innerText()).toMatch(
      /Cancels the open tasks: Ship[\s\S]*trackingCode: — → BY-HAND[\s\S]*Starts: Has email/,
    );
    expect((await env.joeflow.get(workflowId)).state.trackingCode).toBeUndefined();
    expect(await navigation(page, () => page.getByRole("button", { name: "Yes, override" }).click())).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/shipping/${workflowId}/`);
    expect(await page.getByRole("status").innerText()).toMatch(/^Overridden:/);

    await env.idle(workflowId);
    await page.reload();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(/^Order to 5 Stuck St\s+done$/);
    expect(await taskTable(page)).toEqual([
      ["end", "machine", "succeeded", ""],
      ["sendTrackingCode", "machine", "succeeded", ""],
      ["hasEmail", "machine", "succeeded", ""],
      ["override", "human", "succeeded", "manager"],
      ["ship", "human", "canceled", "manager"],
      ["checkout", "human", "succeeded", "clerk"],
    ]);
    expect(await shownState(page)).toEqual({
      shippingAddress: "5 Stuck St",
      email: "carol@example.com",
      trackingCode: "BY-HAND",
    });
    const change = page.locator("section[aria-labelledby=history-h] ol.history > li").filter({ hasText: "override" });
    expect(await change.innerText()).toMatch(/override\s+by manager[\s\S]*trackingCode: — → BY-HAND/);
    expect(await graphNodes(page)).toEqual(expect.arrayContaining([expect.stringContaining("override")]));
    await page.screenshot({ path: `${ARTIFACTS}workflow-overridden.png`, fullPage: true });
  });

  it(
    "5b. nobody signed in may not override: " + "the override link is not offered and the page asks to sign in",
    async () => {
      const context = await browser.newContext({ baseURL: server.url });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(orderUrl);
      expect(await page.getByRole("link", { name: "Override" }).count()).toBe(0);
      await page.goto(`${orderUrl}override`);
      expect(new URL(page.url()).pathname).toBe("/signin");
      expect(new URL(page.url()).searchParams.get("next")).toBe(`${orderUrl}override`);
    },
  );

  it("6. a POST without the CSRF token, or with a forged one, is refused and changes nothing", async () => {
    const { workflowId } = await env.joeflow.start(shipping, {
      state: { shippingAddress: "6 Forge Ave" },
      user: "clerk",
    });
    const ship = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
    const { page } = await personBrowser("warehouse");
    const taskUrl = `/shipping/ship/${ship.id}/`;
    await page.goto(taskUrl);
    const realToken = await page.locator("main form[method=post] input[name=_csrf]").inputValue();
    expect(realToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const before = await env.joeflow.get(workflowId);
    const instances = await count();

    /** A POST from the page itself: same origin, the session and CSRF cookies go along. */
    const post = (url: string, body: string, headers: Record<string, string> = {}) =>
      page.evaluate(
        async ({ url, body, headers }) => {
          const response = await fetch(url, {
            method: "POST",
            body,
            redirect: "manual",
            headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
          });
          return { status: response.status, text: await response.text() };
        },
        { url, body, headers },
      );

    const forged = "A".repeat(43);
    const refused = [
      await post(taskUrl, "trackingCode=EVIL"),
      await post(taskUrl, `trackingCode=EVIL&_csrf=${forged}`),
      await post(taskUrl, "trackingCode=EVIL&_csrf="),
      await post(taskUrl, `trackingCode=EVIL&_csrf=${realToken.slice(0, -1)}`),
      await post(taskUrl, "trackingCode=EVIL", { "x-csrf-token": forged }),
      await post("/shipping/checkout/", "shippingAddress=EVIL"),
      await post("/shipping/checkout/", `shippingAddress=EVIL&_csrf=${forged}`),
      await post(`/shipping/${workflowId}/override`, `trackingCode=EVIL&next=end&_csrf=${forged}`),
      await post(`/shipping/${workflowId}/cancel`, ""),
    ];
    for (const response of refused) {
      expect(response.status).toBe(403);
      expect(response.text).toMatch(/CSRF token is missing or wrong/);
    }
    expect(await env.joeflow.get(workflowId)).toEqual(before);
    expect(await count()).toBe(instances);

    // The same POST with the page's token goes through: the refusals were the token's doing.
    const accepted = await post(taskUrl, `trackingCode=GOOD&_csrf=${encodeURIComponent(realToken)}`);
    expect(accepted.status === 0 || accepted.status === 303).toBe(true); // manual redirects are opaque (0) to fetch
    expect((await env.joeflow.get(workflowId)).state.trackingCode).toBe("GOOD");
  });

  it("loaded nothing from other hosts, threw no script errors and broke no rule of the CSP", async () => {
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
    // The policy was in force on the pages (so the browser would have said if they broke it)...
    const policy = (await fetch(`${server.url}/`)).headers.get("content-security-policy") ?? "";
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    // ...and the browser does say so: a page with an inline style is reported.
    const context = await browser.newContext({ baseURL: server.url });
    contexts.push(context);
    const probe = await context.newPage();
    const seen: string[] = [];
    probe.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
    });
    await probe.goto("/");
    await probe.evaluate(() => {
      document.body.insertAdjacentHTML("beforeend", '<p style="color: red">inline</p>');
    });
    await expect.poll(() => seen.length).toBeGreaterThan(0);
    expect(cspViolations).toEqual([]);
  });
});
