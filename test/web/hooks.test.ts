// Hooks on the pages: failed deliveries on the workflow page and in the API; signed one-click task links.
import type { Hono } from "hono";
import { taskLink } from "joeflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignee } from "../fixtures/workflows.ts";
import { shipping } from "../../examples/shipping.ts";
import { type MemoryJoeflow, memoryJoeflow } from "../fixtures/memory-joeflow.ts";
import { Browser, demoApp, openTask, unescapeHtml } from "./helpers.ts";

/** The page's text as one line: tags out, entities decoded, spaces squeezed. */
const textOf = (html: string) => unescapeHtml(html.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ");

const LINK_SECRET = "link-secret-for-tests";
let memory: MemoryJoeflow;
let app: Hono;
beforeAll(async () => {
  memory = await memoryJoeflow([shipping, assignee], {
    on: {
      taskScheduled: () => {
        throw new Error("<i>smtp</i> refused");
      },
    },
  });
  app = demoApp(memory.joeflow, { workflows: [shipping, assignee], linkSecret: LINK_SECRET });
});
afterAll(async () => {
  await memory?.close();
});

describe("a hook that failed", () => {
  it("is shown on the workflow page and in the API, while the workflow goes on", async () => {
    const { workflowId } = await memory.joeflow.start(shipping, { state: { shippingAddress: "1 Hook Rd" } });
    await memory.deliverEvents(); // a first attempt fails: retrying
    const browser = new Browser(app);
    let page = await browser.get(`/shipping/${workflowId}/`);
    expect(page.html).toContain("Hooks not delivered");
    expect(textOf(page.html)).toMatch(
      /taskScheduled\s*ship\s*the worker's\s*retrying\s*1\s*Error: <i>smtp<\/i> refused/,
    );
    expect(page.html).not.toContain("<i>smtp</i>"); // escaped

    await memory.deliverEvents({ lastAttempt: true }); // the last attempt fails too: failed for good
    page = await browser.get(`/shipping/${workflowId}/`);
    expect(textOf(page.html)).toMatch(/taskScheduled\s*ship\s*the worker's\s*failed\s*2/);
    const api = await browser.get(`/api/shipping/${workflowId}`);
    expect(JSON.parse(api.html).hooks).toEqual([
      expect.objectContaining({
        kind: "taskScheduled",
        status: "failed",
        attempts: 2,
        lastError: "Error: <i>smtp</i> refused",
      }),
    ]);
    // The workflow was never held up: the task is open, and can be done.
    const ship = await openTask(memory.joeflow, workflowId, "ship");
    await memory.joeflow.completeTask(ship.id, { data: { trackingCode: "1Z" }, user: "warehouse" });
    expect((await memory.joeflow.get(workflowId)).tasks.find((t) => t.id === ship.id)!.status).toBe("succeeded");
  });
});

describe("a signed task link", () => {
  async function review() {
    const { workflowId } = await memory.joeflow.start(assignee, { task: "request", state: {}, user: "carl" });
    const task = await openTask(memory.joeflow, workflowId, "review");
    const link = (user: string, expiresIn = "1 hour", now?: number) =>
      taskLink({
        baseUrl: "http://app.test",
        secret: LINK_SECRET,
        workflow: "assignee",
        workflowId,
        task: "review",
        taskId: task.id,
        user,
        expiresIn,
        now,
      });
    return { workflowId, task, link };
  }
  const path = (link: string) => {
    const url = new URL(link);
    return url.pathname + url.search;
  };

  it("lets its user, signed in or not, open and complete that task as themselves", async () => {
    const { workflowId, task, link } = await review();
    const stranger = new Browser(app);
    // Nobody is signed in: without the link, the form sends them to sign in.
    expect((await stranger.get(`/assignee/review/${task.id}/`)).location).toMatch(/^\/signin\?next=/);
    const form = await stranger.get(path(await link("ann")));
    expect(form.status).toBe(200);
    // The form posts to the same link, so its POST acts as ann too.
    const action = unescapeHtml(/action="(\/assignee\/review\/[^"]+)"/.exec(form.html)![1]!);
    expect(new URL(action, "http://app.test").searchParams.get("as")).toBe("ann");
    const done = await stranger.post(action, { approved: "on" });
    expect(done.status).toBe(303);
    const instance = await memory.joeflow.get(workflowId);
    expect(instance.tasks.find((t) => t.id === task.id)).toMatchObject({ status: "succeeded", completedByUser: "ann" });
    // The link signed nobody in: without it, the same browser is nobody again.
    const confirm = await openTask(memory.joeflow, workflowId, "confirm");
    expect((await stranger.get(`/assignee/confirm/${confirm.id}/`)).location).toMatch(/^\/signin\?next=/);
  });

  it("is refused with a clear 403 when expired, altered, or for another task", async () => {
    const { task, link } = await review();
    const browser = new Browser(app);
    const expired = await browser.get(path(await link("ann", "1 hour", Date.now() - 2 * 3_600_000)));
    expect(expired.status).toBe(403);
    expect(textOf(expired.html)).toContain("This link has expired.");
    const altered = await browser.get(path(await link("ann")).replace("as=ann", "as=bob"));
    expect(altered.status).toBe(403);
    expect(textOf(altered.html)).toContain("This link is not valid");
    const other = await review();
    const elsewhere = path(await link("ann")).replace(task.id, other.task.id);
    expect((await browser.get(elsewhere)).status).toBe(403);
    // A user the task is not assigned to gets no further with a valid link than without one.
    expect((await browser.get(path(await link("eve")))).status).toBe(403);
  });

  it("is refused where the app has no link secret", async () => {
    const { link } = await review();
    const plain = demoApp(memory.joeflow, { workflows: [assignee] });
    const refused = await new Browser(plain).get(path(await link("ann")));
    expect(refused.status).toBe(403);
    expect(textOf(refused.html)).toContain("does not take signed task links");
  });
});
