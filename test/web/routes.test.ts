/**
 * The web app route by route, through `app.request` against a real test env (the Temporal test
 * server and PGlite): a clerk starts a shipping order, the warehouse ships it, a manager overrides
 * and reruns, and a few people try what they should not.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineWorkflow, tasks } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { createUrls, createWebApp } from "joeflow/web";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { shipping } from "../../examples/shipping.ts";
import { welcome } from "../../examples/welcome.ts";
import { assignee, failing, fault } from "../fixtures/workflows.ts";
import {
  Browser, demoApp, fieldBlock, headerAuth, linkHref, openTask, section, taskRow, workflowIdOf,
} from "./helpers.ts";

/** An approval: the person picks the way on, one button per outgoing edge. */
const approval = defineWorkflow({
  name: "approval",
  state: z.object({ title: z.string().min(1) }),
  tasks: {
    request: tasks.startView({ fields: ["title"] }),
    decide: tasks.updateView({ fields: [], pickNext: true }),
    approve: () => {},
    reject: () => {},
  },
  edges: [["request", "decide"], ["decide", "approve"], ["decide", "reject"]],
});

/** A machine task whose error message is HTML. */
const nasty = defineWorkflow({
  name: "nasty",
  state: z.object({}),
  tasks: {
    start: tasks.start(),
    explode: () => {
      throw new Error("<b>bold</b> & broken");
    },
  },
  edges: [["start", "explode"]],
});

/** Many small instances to page through. */
const note = defineWorkflow({
  name: "note",
  state: z.object({ text: z.string().default("") }),
  tasks: { write: tasks.startView({ fields: ["text"] }), file: tasks.updateView({ fields: [] }) },
  edges: [["write", "file"]],
});

/** Served by custom handlers: a JSON start and a JSON answer. */
const survey = defineWorkflow({
  name: "survey",
  state: z.object({ question: z.string().min(1), answer: z.string().optional() }),
  tasks: { ask: tasks.startView({ fields: ["question"] }), reply: tasks.updateView({ fields: ["answer"] }), end: () => {} },
  edges: [["ask", "reply"], ["reply", "end"]],
});

let env: TestEnv;
let app: Hono;

beforeAll(async () => {
  env = await createTestEnv({ workflows: [shipping, welcome, assignee, failing, approval, nasty, note, survey] });
  app = demoApp(env.joeflow, {
    workflows: [shipping, welcome, assignee, failing, approval, nasty, note],
    temporalUi: (id) => `http://temporal.test/workflows/${encodeURIComponent(id)}`,
  });
});
afterAll(async () => {
  await env?.teardown();
});

const count = async (name: string) => (await env.joeflow.list({ name, limit: 500 })).items.length;

/** A shipping order started from code, waiting at "ship". */
async function order(shippingAddress = "1 Main St") {
  const { workflowId } = await env.joeflow.start(shipping, { state: { shippingAddress }, user: "clerk" });
  return { workflowId, ship: await openTask(env.joeflow, workflowId, "ship") };
}

describe("a clerk starts a shipping order", () => {
  it("finds the workflows and their start forms on the front page", async () => {
    const clerk = new Browser(app);
    const front = await clerk.get("/");
    expect(front.status).toBe(200);
    expect(front.contentType).toMatch(/^text\/html/);
    expect(front.html).toContain('<a class="button" href="/shipping/checkout/">Start: Checkout</a>');
    expect(front.html).toContain('<a class="button" href="/welcome/start/">Start: Start</a>');
    expect(front.html).toContain('<a class="button" href="/assignee/request/">Start: Request</a>');
    expect(front.html).not.toContain("/failing/start/"); // started from code only: no form
    expect(front.html).toContain('href="/?name=shipping"');
    expect(front.html).toContain('href="/signin"'); // nobody signed in yet
    expect(clerk.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const css = await clerk.get("/static/joeflow.css");
    expect(css.status).toBe(200);
    expect(css.contentType).toMatch(/^text\/css/);
  });

  it("sees the start form with labels, required marks and the CSRF field", async () => {
    const clerk = new Browser(app);
    await clerk.signIn("clerk");
    const form = await clerk.get("/shipping/checkout/");
    expect(form.status).toBe(200);
    expect(form.html).toContain("<h1>Checkout</h1>");
    expect(form.html).toContain('<form method="post" action="/shipping/checkout/" novalidate>');
    expect(form.html).toContain(`<input type="hidden" name="_csrf" value="${clerk.csrf}">`);
    expect(fieldBlock(form.html, "shippingAddress")).toContain(
      '<label for="field-shippingAddress">Shipping address <abbr title="required">*</abbr></label>',
    );
    expect(fieldBlock(form.html, "shippingAddress")).toMatch(/<textarea id="field-shippingAddress" name="shippingAddress" required/);
    expect(fieldBlock(form.html, "email")).toContain('<label for="field-email">Email</label>'); // optional: no mark
    expect(fieldBlock(form.html, "email")).toMatch(/<input id="field-email" name="email" type="email">/);
    expect(form.html).not.toContain("trackingCode"); // not a field of this form
    expect(form.html).toContain("Signed in as <strong>clerk</strong>");
    expect(form.html).toContain('<button type="submit">Start</button>');
  });

  it("gets the errors next to the fields, keeps what was typed, and nothing is created", async () => {
    const clerk = new Browser(app);
    await clerk.signIn("clerk");
    const before = await count("shipping");
    const reply = await clerk.post("/shipping/checkout/", { shippingAddress: "   ", email: "not-mail" });
    expect(reply.status).toBe(422);
    expect(reply.html).toContain('<div class="errors" role="alert"><p>Please correct the errors below.</p></div>');
    const address = fieldBlock(reply.html, "shippingAddress")!;
    expect(address).toContain('class="field field-textarea field-invalid"');
    expect(address).toMatch(/<ul class="field-errors" id="field-shippingAddress-errors">\s*<li>[^<]+<\/li>/);
    expect(address).toContain('aria-invalid="true"');
    const email = fieldBlock(reply.html, "email")!;
    expect(email).toMatch(/<ul class="field-errors" id="field-email-errors">\s*<li>[^<]+<\/li>/);
    expect(email).toContain('value="not-mail"');
    expect(await count("shipping")).toBe(before);

    // One field wrong: the other keeps its text.
    const again = await clerk.post("/shipping/checkout/", { shippingAddress: "7 Kept Lane", email: "still wrong" });
    expect(again.status).toBe(422);
    expect(fieldBlock(again.html, "shippingAddress")).toMatch(/>\s*7 Kept Lane<\/textarea>/);
    expect(fieldBlock(again.html, "shippingAddress")).not.toContain("field-errors");
    expect(fieldBlock(again.html, "email")).toContain('value="still wrong"');
    expect(await count("shipping")).toBe(before);
  });

  it("starts the order and lands on its page, which has the state from the form", async () => {
    const clerk = new Browser(app);
    await clerk.signIn("clerk");
    const reply = await clerk.post("/shipping/checkout/", { shippingAddress: "1 Main St\r\nSpringfield", email: "ann@example.com" });
    expect(reply.status).toBe(303);
    const workflowId = workflowIdOf(reply.location, "shipping");
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state).toEqual({ shippingAddress: "1 Main St\nSpringfield", email: "ann@example.com" });
    expect(instance.tasks[0]).toMatchObject({ name: "checkout", status: "succeeded", completedByUser: "clerk" });
    const page = await clerk.get(reply.location!);
    expect(page.status).toBe(200);
    expect(taskRow(page.html, instance.tasks[0]!.id)).toContain('<span class="status status-succeeded">succeeded</span>');
    expect(taskRow(page.html, instance.tasks[0]!.id)).toContain("<td>clerk</td>");
  });

  it("picks a user from the directory in the welcome form", async () => {
    const clerk = new Browser(app);
    const form = await clerk.get("/welcome/start/");
    expect(form.status).toBe(200);
    const user = fieldBlock(form.html, "user")!;
    expect(user).toMatch(/<select id="field-user" name="user"/);
    expect(user).toContain('<option value="warehouse">warehouse</option>');
    const reply = await clerk.post("/welcome/start/", { user: "bob" });
    expect(reply.status).toBe(303);
    expect((await env.joeflow.get(workflowIdOf(reply.location, "welcome"))).state).toEqual({ user: "bob" });
  });
});

describe("the warehouse ships it", () => {
  it("fills in the task form, is sent to the workflow page, which shows the task succeeded", async () => {
    const { workflowId, ship } = await order("2 Ship St");
    const warehouse = new Browser(app);
    await warehouse.signIn("warehouse");
    const detail = await warehouse.get(`/shipping/${workflowId}/`);
    expect(linkHref(detail.html, { text: "ship" })).toBe(`/shipping/ship/${ship.id}/`); // the open task links to its form

    const form = await warehouse.get(`/shipping/ship/${ship.id}/`);
    expect(form.status).toBe(200);
    expect(form.html).toContain("<h1>Ship</h1>");
    expect(form.html).toContain(`Workflow <a href="/shipping/${workflowId}/">${workflowId}</a>`);
    expect(form.html).toContain(`action="/shipping/ship/${ship.id}/"`);
    expect(fieldBlock(form.html, "trackingCode")).toContain('<label for="field-trackingCode">Tracking code</label>');
    expect(form.html).toContain('<button type="submit">Complete</button>');

    const reply = await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "T-1" });
    expect(reply.status).toBe(303);
    expect(reply.location).toBe(`/shipping/${workflowId}/`);
    const page = await warehouse.get(reply.location!);
    const row = taskRow(page.html, ship.id)!;
    expect(row).toContain('class="task-succeeded"');
    expect(row).toContain("<td>warehouse</td>");
    expect(row).not.toContain("<a href="); // closed: no link to the form
    expect(section(page.html, "state-h")).toContain("<dt>trackingCode</dt><dd>T-1</dd>");
    expect((await env.joeflow.get(workflowId)).state.trackingCode).toBe("T-1");
  });

  it("posting the same task again finds it closed: 404 with a readable page, nothing changed", async () => {
    const { workflowId, ship } = await order("3 Twice St");
    const warehouse = new Browser(app);
    expect((await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "first" })).status).toBe(303);
    const second = await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "second" });
    expect(second.status).toBe(404);
    expect(second.html).toContain("<h1>Not found</h1>");
    expect(second.html).toContain("This task is closed: it is succeeded.");
    expect((await warehouse.get(`/shipping/ship/${ship.id}/`)).status).toBe(404);
    expect((await env.joeflow.get(workflowId)).state.trackingCode).toBe("first");
  });

  it("gets a readable 404 for a wrong task name, a non-id, an unknown id and an unknown workflow", async () => {
    const { ship } = await order();
    const someone = new Browser(app);
    const notFound = async (path: string, message: string) => {
      const reply = await someone.get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.html, path).toContain("<h1>Not found</h1>");
      expect(reply.html, path).toContain(message);
      expect(reply.html, path).toContain('<a href="/">Back to the workflows</a>');
    };
    await notFound(`/shipping/checkout/${ship.id}/`, "There is no such task.");
    await notFound(`/welcome/ship/${ship.id}/`, "There is no such task."); // another workflow's URL
    await notFound("/shipping/ship/42/", "That is not a task id.");
    await notFound(`/shipping/ship/${crypto.randomUUID()}/`, "There is no such task.");
    await notFound(`/nope/ship/${ship.id}/`, "There is no such workflow.");
    await notFound("/shipping/ship/", "&quot;ship&quot; is not a start form of this workflow.");
    await notFound("/shipping/teleport/", "&quot;teleport&quot; is not a start form of this workflow.");
    await notFound("/nope/start/", "There is no such workflow.");
    await notFound(`/shipping/${crypto.randomUUID()}/`, "There is no such workflow instance.");
    await notFound("/no/such/page/at/all", "There is no page at this address.");
    // A workflow id from another workflow is not this workflow's instance.
    const { workflowId } = await order();
    await notFound(`/welcome/${workflowId}/`, "There is no such workflow instance.");
  });

  it("answers 405 to a PUT of a task form", async () => {
    const { ship } = await order();
    const someone = new Browser(app);
    await someone.get("/");
    const reply = await someone.request(`/shipping/ship/${ship.id}/`, { method: "PUT", headers: { "x-csrf-token": someone.csrf! } });
    expect(reply.status).toBe(405);
  });
});

describe("a task with assignees", () => {
  async function review() {
    const { workflowId } = await env.joeflow.start(assignee, { state: {}, user: "requester" });
    return { workflowId, review: await openTask(env.joeflow, workflowId, "review") };
  }

  it("sends somebody not signed in to the sign-in page, and back to the task after", async () => {
    const { review: task } = await review();
    const ann = new Browser(app);
    const path = `/assignee/review/${task.id}/`;
    const reply = await ann.get(path);
    expect(reply.status).toBe(303);
    expect(reply.location).toBe(`/signin?next=${encodeURIComponent(path)}`);
    const signInPage = await ann.get(reply.location!);
    expect(signInPage.html).toContain(`<input type="hidden" name="next" value="${path}">`);
    const signedIn = await ann.signIn("ann", path);
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe(path);
    const form = await ann.get(path);
    expect(form.status).toBe(200);
    expect(fieldBlock(form.html, "approved")).toMatch(/<input id="field-approved" name="approved" type="checkbox" value="true">/);
  });

  it("forbids another user (403) and lets an assignee complete it", async () => {
    const { workflowId, review: task } = await review();
    const carl = new Browser(app);
    await carl.signIn("carl");
    const path = `/assignee/review/${task.id}/`;
    const seen = await carl.get(path);
    expect(seen.status).toBe(403);
    expect(seen.html).toContain("<h1>Not allowed</h1>");
    expect(seen.html).toContain("This task is assigned to someone else.");
    expect((await carl.post(path, { approved: "true" })).status).toBe(403);
    expect((await env.joeflow.get(workflowId)).state).toEqual({ approved: false });

    const bob = new Browser(app);
    await bob.signIn("bob");
    const done = await bob.post(path, { approved: "true" });
    expect(done.status).toBe(303);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state).toEqual({ approved: true });
    expect(instance.tasks.find((t) => t.name === "confirm")!.assignees).toEqual(["bob"]);
  });

  it("answers 401 when the auth has no sign-in page", async () => {
    const { review: task } = await review();
    const behindProxy = createWebApp({ joeflow: env.joeflow, workflows: [assignee], auth: headerAuth() });
    const anonymous = await new Browser(behindProxy).get(`/assignee/review/${task.id}/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.html).toContain("<h1>Please sign in</h1>");
    expect((await new Browser(behindProxy, { "x-user": "carl" }).get(`/assignee/review/${task.id}/`)).status).toBe(403);
    expect((await new Browser(behindProxy, { "x-user": "ann" }).get(`/assignee/review/${task.id}/`)).status).toBe(200);
  });

  it("asks the auth hook who the user is once per request, however many checks the page makes", async () => {
    const { review: task } = await review();
    let asked = 0;
    const counting = headerAuth();
    const counted = createWebApp({
      joeflow: env.joeflow, workflows: [assignee], auth: { ...counting, user: (c) => (asked++, counting.user(c)) },
    });
    const page = await new Browser(counted, { "x-user": "ann" }).get(`/assignee/review/${task.id}/`);
    expect(page.status).toBe(200);
    expect(asked).toBe(1);
  });
});

describe("the workflow page", () => {
  it("shows the graph, the state, the tasks with links, the history and the way to the Temporal UI", async () => {
    const clerk = new Browser(app);
    await clerk.signIn("clerk");
    const started = await clerk.post("/shipping/checkout/", { shippingAddress: "4 Graph Rd", email: "ann@example.com" });
    const workflowId = workflowIdOf(started.location, "shipping");
    const ship = await openTask(env.joeflow, workflowId, "ship");
    const warehouse = new Browser(app);
    await warehouse.signIn("warehouse");
    await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "T-4" });
    await env.idle(workflowId);

    const page = await clerk.get(`/shipping/${workflowId}/`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<title>Shipping ${workflowId.slice(0, 8)} · joeflow</title>`);
    expect(page.html).toContain('<span class="status status-done">done</span>');
    expect(section(page.html, "graph-h")).toContain("<svg");
    const state = section(page.html, "state-h");
    expect(state).toContain("<dt>shippingAddress</dt><dd>4 Graph Rd</dd>");
    expect(state).toContain("<dt>email</dt><dd>ann@example.com</dd>");
    expect(state).toContain("<dt>trackingCode</dt><dd>T-4</dd>");
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.map((t) => t.name)).toEqual(["checkout", "ship", "hasEmail", "sendTrackingCode", "end"]);
    const table = section(page.html, "tasks-h");
    for (const task of instance.tasks) {
      const row = taskRow(table, task.id)!;
      expect(row).toContain(`<code title="${task.id}">${task.id.slice(0, 8)}</code>`);
      expect(row).toContain(`<td>${task.name}</td>`);
      expect(row).toContain(`<td>${task.type}</td>`);
      expect(row).toContain('<span class="status status-succeeded">succeeded</span>');
      expect(row).toMatch(/<time datetime="\d{4}-\d\d-\d\dT/);
    }
    // Newest first.
    expect(table.indexOf(`task-${instance.tasks[4]!.id}`)).toBeLessThan(table.indexOf(`task-${instance.tasks[0]!.id}`));
    const history = section(page.html, "history-h");
    expect(history).toMatch(/<strong>checkout<\/strong> by clerk/);
    expect(history).toMatch(/<strong>ship<\/strong> by warehouse/);
    expect(history).toContain("<li><code>trackingCode</code>: <del>—</del> → <ins>T-4</ins></li>");
    expect(history).toContain("<li><code>shippingAddress</code>: <del>—</del> → <ins>4 Graph Rd</ins></li>");
    expect(page.html).toContain(`<a href="http://temporal.test/workflows/shipping-${workflowId}">In the Temporal UI</a>`);
    expect(page.html).toContain(`<a href="/shipping/${workflowId}/override">Override</a>`);
    expect(page.html).not.toContain("Cancel this workflow"); // it is done
  });

  it("shows a failed task's exception and stack trace; a signed-in user reruns it", async () => {
    fault.broken = true;
    const { workflowId } = await env.joeflow.start(failing, { state: {} });
    await env.idle(workflowId);
    const failed = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "fail")!;
    const rerunPath = `/failing/${workflowId}/tasks/${failed.id}/rerun`;

    const anonymous = new Browser(app);
    const seen = await anonymous.get(`/failing/${workflowId}/`);
    expect(seen.status).toBe(200);
    const failures = section(seen.html, "failed-h");
    expect(failures).toContain("<summary><strong>fail</strong>: Error: Boom!</summary>");
    expect(failures).toMatch(/<pre class="trace">Error: Boom!\n\s+at /);
    expect(taskRow(seen.html, failed.id)).toContain('class="task-failed"');
    expect(seen.html).not.toContain(rerunPath); // nobody signed in: no buttons
    expect(seen.html).not.toContain("Override</a>");
    const refused = await anonymous.post(rerunPath);
    expect(refused.status).toBe(303);
    expect(refused.location).toBe(`/signin?next=${encodeURIComponent(rerunPath)}`);

    const admin = new Browser(app);
    await admin.signIn("admin");
    const page = await admin.get(`/failing/${workflowId}/`);
    expect(taskRow(page.html, failed.id)).toContain(
      `<form method="post" action="${rerunPath}" class="inline"><input type="hidden" name="_csrf" value="${admin.csrf}"><button type="submit">Rerun</button></form>`,
    );
    expect(page.html).toContain(`action="/failing/${workflowId}/cancel"`);

    fault.broken = false;
    const rerun = await admin.post(rerunPath);
    expect(rerun.status).toBe(303);
    expect(rerun.location).toBe(`/failing/${workflowId}/`);
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.find((t) => t.id === failed.id)).toMatchObject({ status: "succeeded", attempt: 2, exception: null });
    expect(instance.status).toBe("done");
    const after = await admin.get(`/failing/${workflowId}/`);
    expect(section(after.html, "failed-h")).toBe("");

    const again = await admin.post(rerunPath);
    expect(again.status).toBe(409);
    expect(again.html).toContain(`<a href="/failing/${workflowId}/">Back to the workflow</a>`);
  });

  it("cancels a task and then a whole workflow", async () => {
    const manager = new Browser(app);
    await manager.signIn("manager");
    const first = await order("5 Cancel Ct");
    const page = await manager.get(`/shipping/${first.workflowId}/`);
    const cancelPath = `/shipping/${first.workflowId}/tasks/${first.ship.id}/cancel`;
    expect(taskRow(page.html, first.ship.id)).toContain(`action="${cancelPath}"`);
    const canceled = await manager.post(cancelPath);
    expect(canceled.status).toBe(303);
    expect(canceled.location).toBe(`/shipping/${first.workflowId}/`);
    expect((await env.joeflow.get(first.workflowId)).tasks.find((t) => t.id === first.ship.id)).toMatchObject({
      status: "canceled", completedByUser: "manager",
    });
    expect((await manager.get(`/shipping/ship/${first.ship.id}/`)).html).toContain("This task is closed: it is canceled.");

    const second = await order("6 Cancel Ct");
    // A task of another workflow instance is not this one's.
    const stranger = await manager.post(`/shipping/${second.workflowId}/tasks/${first.ship.id}/cancel`);
    expect(stranger.status).toBe(404);
    expect(stranger.html).toContain("No such task in this workflow.");
    const page2 = await manager.get(`/shipping/${second.workflowId}/`);
    expect(page2.html).toContain(`<form method="post" action="/shipping/${second.workflowId}/cancel" class="inline">`);
    const gone = await manager.post(`/shipping/${second.workflowId}/cancel`);
    expect(gone.status).toBe(303);
    expect(gone.location).toBe(`/shipping/${second.workflowId}/`);
    const instance = await env.joeflow.get(second.workflowId);
    expect(instance.status).toBe("canceled");
    expect(instance.tasks.find((t) => t.id === second.ship.id)!.status).toBe("canceled");
    const after = await manager.get(`/shipping/${second.workflowId}/`);
    expect(after.html).toContain('<span class="status status-canceled">canceled</span>');
    expect(after.html).not.toContain("Cancel this workflow");

    const anonymous = new Browser(app);
    const third = await order();
    expect((await anonymous.post(`/shipping/${third.workflowId}/cancel`)).status).toBe(303); // to sign in
    expect((await env.joeflow.get(third.workflowId)).status).toBe("running");
    expect((await manager.post(`/shipping/not-an-id/cancel`)).status).toBe(404);
    expect((await manager.post(`/nope/${third.workflowId}/cancel`)).status).toBe(404);
  });
});

describe("a manager overrides an order", () => {
  it("sees every state field, filled in, and a checkbox per task", async () => {
    const { workflowId } = await order("8 Override Ave");
    const manager = new Browser(app);
    await manager.signIn("manager");
    const form = await manager.get(`/shipping/${workflowId}/override`);
    expect(form.status).toBe(200);
    expect(form.html).toContain("<h1>Override Shipping</h1>");
    expect(form.html).toContain(`<form method="post" action="/shipping/${workflowId}/override" novalidate>`);
    expect(fieldBlock(form.html, "shippingAddress")).toMatch(/>\s*8 Override Ave<\/textarea>/);
    expect(fieldBlock(form.html, "email")).toBeDefined();
    expect(fieldBlock(form.html, "trackingCode")).toBeDefined();
    for (const task of ["checkout", "ship", "hasEmail", "sendTrackingCode", "end"]) {
      expect(form.html).toContain(`<input type="checkbox" id="next-${task}" name="next" value="${task}">`);
    }
  });

  it("overrides the state and the next task; the override is recorded", async () => {
    const { workflowId, ship } = await order("9 Old Rd");
    const manager = new Browser(app);
    await manager.signIn("manager");
    const reply = await manager.post(`/shipping/${workflowId}/override`, {
      shippingAddress: "9 New Rd", email: "ann@example.com", trackingCode: "BY-HAND", next: ["hasEmail"],
    });
    expect(reply.status).toBe(303);
    expect(reply.location).toBe(`/shipping/${workflowId}/`);
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state).toEqual({ shippingAddress: "9 New Rd", email: "ann@example.com", trackingCode: "BY-HAND" });
    expect(instance.tasks.find((t) => t.id === ship.id)!.status).toBe("canceled");
    expect(instance.tasks.find((t) => t.name === "override")).toMatchObject({ status: "succeeded", completedByUser: "manager" });
    expect(instance.tasks.map((t) => t.name)).toContain("sendTrackingCode");
    const change = (await env.joeflow.history(workflowId)).find((h) => h.taskName === "override")!;
    expect(change).toMatchObject({ user: "manager", before: { shippingAddress: "9 Old Rd" } });
    const page = await manager.get(`/shipping/${workflowId}/`);
    expect(section(page.html, "history-h")).toMatch(/<strong>override<\/strong> by manager/);
    expect(section(page.html, "history-h")).toContain("<li><code>shippingAddress</code>: <del>9 Old Rd</del> → <ins>9 New Rd</ins></li>");
  });

  it("refuses invalid input with 422, errors next to the fields, and changes nothing", async () => {
    const { workflowId } = await order("10 Same St");
    const before = await env.joeflow.get(workflowId);
    const manager = new Browser(app);
    await manager.signIn("manager");
    const reply = await manager.post(`/shipping/${workflowId}/override`, { shippingAddress: "", email: "nope", next: ["end"] });
    expect(reply.status).toBe(422);
    expect(fieldBlock(reply.html, "shippingAddress")).toContain("field-errors");
    expect(fieldBlock(reply.html, "email")).toContain("field-errors");
    expect(fieldBlock(reply.html, "email")).toContain('value="nope"');
    expect(reply.html).toContain('<input type="checkbox" id="next-end" name="next" value="end" checked>');
    expect(await env.joeflow.get(workflowId)).toEqual(before);

    const teleport = await manager.post(`/shipping/${workflowId}/override`, { shippingAddress: "10 Same St", next: ["teleport"] });
    expect(teleport.status).toBe(422);
    expect(teleport.html).toMatch(/<ul><li>[^<]*teleport[^<]*<\/li><\/ul>/);
    expect(await env.joeflow.get(workflowId)).toEqual(before);
  });

  it("is not for people who are not signed in, nor for those the auth refuses", async () => {
    const { workflowId } = await order();
    const path = `/shipping/${workflowId}/override`;
    const anonymous = await new Browser(app).get(path);
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe(`/signin?next=${encodeURIComponent(path)}`);
    const strict = createWebApp({ joeflow: env.joeflow, workflows: [shipping], auth: headerAuth({ mayOverride: ["manager"] }) });
    expect((await new Browser(strict).get(path)).status).toBe(401);
    const ann = await new Browser(strict, { "x-user": "ann" }).get(path);
    expect(ann.status).toBe(403);
    expect(ann.html).toContain("You may not override here.");
    expect((await new Browser(strict, { "x-user": "ann" }).get(`/shipping/${workflowId}/`)).html).not.toContain("Override</a>");
    expect((await new Browser(strict, { "x-user": "manager" }).get(path)).status).toBe(200);
    expect((await new Browser(app).get(`/shipping/${crypto.randomUUID()}/override`)).status).toBe(404);
    expect((await new Browser(app).get(`/shipping/nope/override`)).status).toBe(404);
  });
});

describe("the front page and the inbox", () => {
  it("pages through the instances newest first; a garbage cursor shows the first page", async () => {
    const started: string[] = [];
    for (let i = 0; i < 27; i++) started.push((await env.joeflow.start(note, { state: { text: `note ${i}` } })).workflowId);
    const newestFirst = started.toReversed();
    const ids = (html: string) => [...html.matchAll(/<a href="\/note\/([0-9a-f-]{36})\/"><code>/g)].map((m) => m[1]);
    const reader = new Browser(app);

    const first = await reader.get("/?name=note");
    expect(first.status).toBe(200);
    expect(first.html).toContain('<option value="note" selected>Note</option>');
    expect(ids(first.html)).toEqual(newestFirst.slice(0, 25));
    const next = linkHref(first.html, { rel: "next" })!;
    expect(next).toMatch(/^\/\?name=note&cursor=./);
    const second = await reader.get(next);
    expect(ids(second.html)).toEqual(newestFirst.slice(25));
    expect(linkHref(second.html, { rel: "next" })).toBeUndefined();

    const garbage = await reader.get("/?name=note&cursor=garbage");
    expect(garbage.status).toBe(200);
    expect(ids(garbage.html)).toEqual(newestFirst.slice(0, 25));
  });

  it("filters by workflow and status", async () => {
    const clerk = new Browser(app);
    const done = workflowIdOf((await clerk.post("/welcome/start/", {})).location, "welcome");
    await env.idle(done);
    const running = (await order("11 Filter St")).workflowId;
    const listed = async (query: string) => (await clerk.get(`/${query}`)).html;

    expect(await listed("?name=welcome&status=done")).toContain(`/welcome/${done}/`);
    expect(await listed("?name=welcome&status=running")).not.toContain(`/welcome/${done}/`);
    const shippingRunning = await listed("?name=shipping&status=running");
    expect(shippingRunning).toContain(`/shipping/${running}/`);
    expect(shippingRunning).not.toContain(`/welcome/${done}/`);
    expect(shippingRunning).toContain("<option selected>running</option>");
    expect(await listed("?status=done")).not.toContain(`/shipping/${running}/`);
    // Filters it does not know are ignored rather than failing.
    const all = await listed("?name=%3Cnope%3E&status=lost");
    expect(all).toContain(`/shipping/${running}/`);
    expect(all).not.toContain("<nope>");
  });

  it("shows the inbox: tasks assigned to the user first, then those anyone may do", async () => {
    const { workflowId: reviewId } = await env.joeflow.start(assignee, { state: {} });
    const review = await openTask(env.joeflow, reviewId, "review");
    const { ship } = await order("12 Inbox St");
    const reviewLink = `href="/assignee/review/${review.id}/"`;
    const shipLink = `href="/shipping/ship/${ship.id}/"`;

    const ann = new Browser(app);
    await ann.signIn("ann");
    const inbox = await ann.get("/inbox");
    expect(inbox.status).toBe(200);
    const assignedAt = inbox.html.indexOf("<h2>Assigned to you</h2>");
    const anyoneAt = inbox.html.indexOf("<h2>Anyone may do</h2>");
    expect(assignedAt).toBeGreaterThan(-1);
    expect(anyoneAt).toBeGreaterThan(assignedAt);
    expect(inbox.html.indexOf(reviewLink)).toBeGreaterThan(assignedAt);
    expect(inbox.html.indexOf(reviewLink)).toBeLessThan(anyoneAt);
    expect(inbox.html.indexOf(shipLink)).toBeGreaterThan(anyoneAt);
    expect(inbox.html).toContain(`<a href="/assignee/${reviewId}/"><code>${reviewId.slice(0, 8)}</code></a>`);

    const carl = new Browser(app);
    await carl.signIn("carl");
    const carlsInbox = await carl.get("/inbox");
    expect(carlsInbox.html).not.toContain(reviewLink);
    expect(carlsInbox.html).toContain(shipLink);

    const anonymous = await new Browser(app).get("/inbox");
    expect(anonymous.html).toContain("Sign in to see the tasks assigned to you.");
    expect(anonymous.html).not.toContain(reviewLink);
    expect(anonymous.html).toContain(shipLink);
  });
});

describe("page switches", () => {
  it("a workflow without its workflow page and override page: both 404, forms go to the front page", async () => {
    const plain = demoApp(env.joeflow, { workflows: [{ workflow: shipping, detailView: false, overrideView: false }] });
    const clerk = new Browser(plain);
    await clerk.signIn("manager");
    const started = await clerk.post("/shipping/checkout/", { shippingAddress: "13 Hidden Way" });
    expect(started.status).toBe(303);
    expect(started.location).toBe("/");
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
    expect(front.html).toContain(`<code>${workflowId}</code>`);
    expect(front.html).not.toContain(`href="/shipping/${workflowId}/"`);

    const ship = await openTask(env.joeflow, workflowId, "ship");
    const shipped = await clerk.post(`/shipping/ship/${ship.id}/`, { trackingCode: "T-13" });
    expect(shipped.status).toBe(303);
    expect(shipped.location).toBe("/");

    // The same workflow on the full app still has both.
    expect((await new Browser(app).get(`/shipping/${workflowId}/`)).status).toBe(200);
  });
});

describe("an approval: the person picks the way on", () => {
  it("offers one button per outgoing edge and follows only the one pressed", async () => {
    const boss = new Browser(app);
    await boss.signIn("boss");
    const started = await boss.post("/approval/request/", { title: "New desk" });
    expect(started.status).toBe(303);
    const workflowId = workflowIdOf(started.location, "approval");
    const decide = await openTask(env.joeflow, workflowId, "decide");
    const form = await boss.get(`/approval/decide/${decide.id}/`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('<button type="submit" name="_next" value="approve">Approve</button>');
    expect(form.html).toContain('<button type="submit" name="_next" value="reject">Reject</button>');
    expect(form.html).not.toContain(">Complete</button>");

    const reply = await boss.post(`/approval/decide/${decide.id}/`, { _next: "reject" });
    expect(reply.status).toBe(303);
    expect(reply.location).toBe(`/approval/${workflowId}/`);
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.map((t) => [t.name, t.status])).toEqual([
      ["request", "succeeded"], ["decide", "succeeded"], ["reject", "succeeded"],
    ]);
    expect(instance.status).toBe("done");
  });

  it("refuses a way that is not an outgoing edge", async () => {
    const { workflowId } = await env.joeflow.start(approval, { state: { title: "Chair" } });
    const decide = await openTask(env.joeflow, workflowId, "decide");
    const boss = new Browser(app);
    const reply = await boss.post(`/approval/decide/${decide.id}/`, { _next: "request" });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(reply.html).toContain("not an outgoing edge");
    expect((await openTask(env.joeflow, workflowId, "decide")).id).toBe(decide.id);
  });
});

describe("custom human tasks: your own handler", () => {
  let custom: Hono;
  beforeAll(() => {
    custom = demoApp(env.joeflow, {
      workflows: [survey],
      views: {
        "survey:ask": async (c, ctx) => {
          if (c.req.method === "GET") return c.json({ fields: ["question"], task: ctx.taskName, hasOpenTask: ctx.task !== undefined });
          const body = await c.req.json() as { question?: string };
          const { workflowId } = await ctx.joeflow.start(ctx.workflow, { task: ctx.taskName, state: { question: body.question }, user: ctx.user });
          return c.json({ workflowId, url: ctx.urls.detail(ctx.workflow.name, workflowId) }, 201);
        },
        "survey:reply": async (c, ctx) => {
          if (c.req.method === "GET") return c.json({ task: ctx.task!.id, question: ctx.instance!.state.question });
          const body = await c.req.json() as { answer?: unknown };
          await ctx.joeflow.completeTask(ctx.task!.id, { data: { answer: body.answer }, user: ctx.user });
          return c.json({ done: true, url: ctx.urls.detail(ctx.workflow.name, ctx.instance!.id) });
        },
      },
    });
  });

  it("starts and completes a workflow through JSON endpoints, after the app's checks", async () => {
    const client = new Browser(custom);
    await client.signIn("ann");
    const form = await client.get("/survey/ask/");
    expect(form.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(form.html)).toEqual({ fields: ["question"], task: "ask", hasOpenTask: false });
    const started = await client.postJson("/survey/ask/", { question: "Tea or coffee?" });
    expect(started.status).toBe(201);
    const { workflowId, url } = JSON.parse(started.html) as { workflowId: string; url: string };
    expect(url).toBe(`/survey/${workflowId}/`);
    const reply = await openTask(env.joeflow, workflowId, "reply");

    const path = `/survey/reply/${reply.id}/`;
    expect(JSON.parse((await client.get(path)).html)).toEqual({ task: reply.id, question: "Tea or coffee?" });
    const done = await client.postJson(path, { answer: "Tea" });
    expect(done.status).toBe(200);
    expect(JSON.parse(done.html)).toEqual({ done: true, url: `/survey/${workflowId}/` });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state).toEqual({ question: "Tea or coffee?", answer: "Tea" });
    expect(instance.tasks.find((t) => t.id === reply.id)).toMatchObject({ status: "succeeded", completedByUser: "ann" });
    expect(instance.status).toBe("done");

    // The app's checks come first: a closed task is a 404 page, whatever the handler.
    const closed = await client.postJson(path, { answer: "Coffee" });
    expect(closed.status).toBe(404);
    expect(closed.html).toContain("This task is closed: it is succeeded.");
    // JSON without the CSRF header is refused.
    const forged = await client.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(forged.status).toBe(403);
  });
});

describe("security", () => {
  it("refuses a POST without the CSRF token, or with another's, and changes nothing", async () => {
    const clerk = new Browser(app);
    await clerk.signIn("clerk");
    const before = await count("shipping");
    const missing = await clerk.post("/shipping/checkout/", { shippingAddress: "14 Forged St" }, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.html).toContain("CSRF token is missing or wrong");
    const wrong = await clerk.post("/shipping/checkout/", { shippingAddress: "14 Forged St" }, { csrf: "x".repeat(43) });
    expect(wrong.status).toBe(403);
    // An attacker's page knows its own token, not the victim's cookie.
    const attacker = new Browser(app);
    await attacker.get("/");
    expect((await clerk.post("/shipping/checkout/", { shippingAddress: "14 Forged St" }, { csrf: attacker.csrf! })).status).toBe(403);
    expect(await count("shipping")).toBe(before);

    const { workflowId, ship } = await order("15 Guarded St");
    expect((await clerk.post(`/shipping/ship/${ship.id}/`, { trackingCode: "forged" }, { csrf: false })).status).toBe(403);
    expect((await clerk.post(`/shipping/${workflowId}/override`, { shippingAddress: "forged", next: [] }, { csrf: false })).status).toBe(403);
    expect((await clerk.post(`/shipping/${workflowId}/cancel`, {}, { csrf: false })).status).toBe(403);
    expect((await clerk.post("/signout", {}, { csrf: false })).status).toBe(403);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("running");
    expect(instance.state).toEqual({ shippingAddress: "15 Guarded St" });
    expect(instance.tasks.find((t) => t.id === ship.id)!.status).toBe("scheduled");
  });

  it("escapes state values, typed values, task exceptions and names from the URL", async () => {
    const clerk = new Browser(app);
    await clerk.signIn("clerk");
    const script = "<script>alert(1)</script>";
    const started = await clerk.post("/shipping/checkout/", { shippingAddress: script });
    const workflowId = workflowIdOf(started.location, "shipping");
    const page = await clerk.get(started.location!);
    expect(page.html).toContain("<dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd>");
    expect(section(page.html, "history-h")).toContain("<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>");
    expect(page.html).not.toContain(script);
    const override = await new Browser(app).get(`/shipping/${workflowId}/override`); // anonymous: redirected
    expect(override.status).toBe(303);
    const manager = new Browser(app);
    await manager.signIn("manager");
    expect((await manager.get(`/shipping/${workflowId}/override`)).html).not.toContain(script);

    const typed = await clerk.post("/shipping/checkout/", { shippingAddress: "x", email: '"><script>alert(2)</script>' });
    expect(typed.status).toBe(422);
    expect(typed.html).toContain('value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
    expect(typed.html).not.toContain("<script>alert(2)");

    const { workflowId: nastyId } = await env.joeflow.start(nasty, { state: {} });
    await env.idle(nastyId);
    const failed = await clerk.get(`/nasty/${nastyId}/`);
    expect(failed.status).toBe(200);
    expect(section(failed.html, "failed-h")).toContain("<strong>explode</strong>: Error: &lt;b&gt;bold&lt;/b&gt; &amp; broken</summary>");
    expect(section(failed.html, "failed-h")).toMatch(/<pre class="trace">Error: &lt;b&gt;bold&lt;\/b&gt; &amp; broken\n/);
    expect(failed.html).not.toContain("<b>bold</b>");

    const fromUrl = await clerk.get("/shipping/%3Cimg%20src%3Dx%20onerror%3Dalert(3)%3E/");
    expect(fromUrl.status).toBe(404);
    expect(fromUrl.html).toContain("&quot;&lt;img src=x onerror=alert(3)&gt;&quot; is not a start form");
    expect(fromUrl.html).not.toContain("<img src=x");
  });

  it("signs in and out, and never redirects to another site", async () => {
    const visitor = new Browser(app);
    for (const next of ["//evil.example", "https://evil.example/", "/\\evil.example", "evil.example"]) {
      const page = await visitor.get(`/signin?next=${encodeURIComponent(next)}`);
      expect(page.html).toContain('<input type="hidden" name="next" value="/">');
      const reply = await visitor.post("/signin", { name: "ann", next });
      expect(reply.status, next).toBe(303);
      expect(reply.location, next).toBe("/");
    }
    expect((await visitor.get("/")).html).toContain("Signed in as <strong>ann</strong>");
    expect((await visitor.post("/signin", { name: "bob", next: "/inbox" })).location).toBe("/inbox");
    expect((await visitor.get("/")).html).toContain("Signed in as <strong>bob</strong>");

    const bad = await visitor.post("/signin", { name: "<bob>" });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('<div class="errors" role="alert">');

    const out = await visitor.post("/signout");
    expect(out.status).toBe(303);
    expect(out.location).toBe("/");
    expect(visitor.cookies.has("joeflow_user")).toBe(false);
    expect((await visitor.get("/")).html).not.toContain("Signed in as");

    // A forged user cookie is nobody.
    visitor.cookies.set("joeflow_user", "manager.bm90LWEtc2lnbmF0dXJl");
    expect((await visitor.get("/")).html).not.toContain("Signed in as");
  });
});

describe("your own templates", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "joeflow-templates-"));
    mkdirSync(join(folder, "shipping"));
    writeFileSync(join(folder, "shipping", "ship.eta"), [
      '<% layout("layout") %>',
      "<h1>Warehouse: ship order <%= it.instance.id %></h1>",
      '<form method="post" action="<%= it.action %>">',
      '  <input type="hidden" name="_csrf" value="<%= it.csrf %>">',
      '  <label for="tc">Tracking code from the label</label>',
      '  <input id="tc" name="trackingCode" value="<%= it.values.trackingCode %>">',
      "  <button>Shipped</button>",
      "</form>",
    ].join("\n"));
  });
  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("replaces only the form it names, inside our layout", async () => {
    const themed = demoApp(env.joeflow, { workflows: [shipping], templates: folder });
    const warehouse = new Browser(themed);
    await warehouse.signIn("warehouse");
    const { workflowId, ship } = await order("16 Theme St");
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
    const { workflowId, ship } = await order();
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
    const manager = new Browser(app);
    await manager.signIn("manager");
    for (const url of [urls.reverse("shipping:ship", ship), urls.reverse("shipping:checkout"),
      urls.reverse("shipping:detail", workflowId), urls.reverse("shipping:override", workflowId)]) {
      expect((await manager.get(url)).status, url).toBe(200);
    }
  });
});

/** Requests that must change nothing or lead nowhere: each was a bug once. */
describe("edge cases that must change nothing", () => {
  it("a HEAD request to a start form only shows it", async () => {
    const prefetcher = new Browser(app);
    const before = await count("welcome");
    const reply = await prefetcher.request("/welcome/start/", { method: "HEAD" });
    expect(await count("welcome")).toBe(before);
    expect(reply.status).toBe(200);
  });

  it("a HEAD request to an override page only shows it", async () => {
    const { workflowId } = await env.joeflow.start(assignee, { state: {} });
    const before = await env.joeflow.get(workflowId);
    const manager = new Browser(app);
    await manager.signIn("manager");
    const reply = await manager.request(`/assignee/${workflowId}/override`, { method: "HEAD" });
    expect(await env.joeflow.get(workflowId)).toEqual(before);
    expect(reply.status).toBe(200);
  });

  it("a pickNext task posted without a choice is refused with 422", async () => {
    const { workflowId } = await env.joeflow.start(approval, { state: { title: "Lamp" } });
    const decide = await openTask(env.joeflow, workflowId, "decide");
    const reply = await new Browser(app).post(`/approval/decide/${decide.id}/`, {});
    await env.idle(workflowId);
    expect((await env.joeflow.get(workflowId)).tasks.map((t) => t.name)).not.toEqual(["request", "decide", "approve", "reject"]);
    expect(reply.status).toBe(422);
    expect((await openTask(env.joeflow, workflowId, "decide")).id).toBe(decide.id);
  });

  it("sign-in's next=/<TAB>/evil.example stays on this site", async () => {
    const reply = await new Browser(app).post("/signin", { name: "ann", next: "/\t/evil.example" });
    expect(reply.status).toBe(303);
    expect(new URL(reply.location!, "http://joeflow.test/").host).toBe("joeflow.test");
  });

  it("sign-in's next with a newline redirects to /", async () => {
    const reply = await new Browser(app).post("/signin", { name: "ann", next: "/\n/evil.example" });
    expect(reply.status).toBe(303);
    expect(reply.location).toBe("/");
  });

  it("a workflow may not be named \"api\": the JSON API lives there", async () => {
    const define = () => defineWorkflow({
      name: "api", state: z.object({ note: z.string().default("") }), tasks: { start: tasks.startView({ fields: ["note"] }) }, edges: [],
    });
    expect(define).toThrow(/name "api" is reserved/);
  });

  it("the inbox links no workflow page where the workflow has none (detailView: false)", async () => {
    const plain = demoApp(env.joeflow, { workflows: [{ workflow: shipping, detailView: false }] });
    const { workflowId } = await order("17 Hidden Inbox St");
    const inbox = await new Browser(plain).get("/inbox");
    expect(inbox.html).toContain(`<code>${workflowId.slice(0, 8)}</code>`);
    expect(inbox.html).not.toContain(`href="/shipping/${workflowId}/"`);
  });
});
