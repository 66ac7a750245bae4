import type { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { failing, fault } from "../fixtures/workflows.ts";
import { shortId } from "joeflow";
import { Browser, demoApp, openTask, section, taskRow, workflowIdOf } from "./helpers.ts";
import { nasty, survey, useWebStory } from "./stories.ts";

const env = useWebStory("temporal");

describe("an approval: the person picks the way on", () => {
  it("offers one button per outgoing edge and follows only the one pressed", async () => {
    const boss = new Browser(env.app);
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
    expect(reply.location).toBe(`/approval/${workflowId}/?done=completeTask&task=decide`);
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.map((t) => [t.name, t.status])).toEqual([
      ["request", "succeeded"],
      ["decide", "succeeded"],
      ["reject", "succeeded"],
    ]);
    expect(instance.status).toBe("done");
  });
});

describe("the front page and the inbox", () => {
  it("filters by workflow and status", async () => {
    const clerk = new Browser(env.app);
    const done = workflowIdOf((await clerk.post("/welcome/start/", {})).location, "welcome");
    await env.idle(done);
    const running = (await env.order("11 Filter St")).workflowId;
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
});

describe("a manager overrides an order", () => {
  it("overrides the state and the next task; the override is recorded", async () => {
    const { workflowId, ship } = await env.order("9 Old Rd");
    const manager = new Browser(env.app);
    await manager.signIn("manager");
    const form = {
      shippingAddress: "9 New Rd",
      email: "ann@example.com",
      trackingCode: "BY-HAND",
      next: ["hasEmail"],
    };
    // The override asks first: what it cancels, changes and starts, with the form's values carried along.
    const asked = await manager.post(`/shipping/${workflowId}/override`, form);
    expect(asked.status).toBe(200);
    expect(asked.html).toContain("<h1>Override Shipping?</h1>");
    expect(asked.html).toContain("Cancels the open tasks: <strong>Ship</strong>");
    expect(asked.html).toContain("<li><code>shippingAddress</code>: <del>9 Old Rd</del> → <ins>9 New Rd</ins></li>");
    expect(asked.html).toContain("Starts: <strong>Has email</strong>");
    expect(asked.html).toContain('<input type="hidden" name="trackingCode" value="BY-HAND">');
    expect(asked.html).toContain(
      '<button type="submit" name="_confirm" value="yes" class="danger">Yes, override</button>',
    );
    expect((await env.joeflow.get(workflowId)).tasks.find((t) => t.id === ship.id)!.status).toBe("scheduled");
    // "No" goes back to the form as it was filled in.
    const again = await manager.post(`/shipping/${workflowId}/override`, { ...form, _edit: "1" });
    expect(again.html).toContain('<input type="checkbox" id="next-hasEmail" name="next" value="hasEmail" checked>');
    expect(again.html).toMatch(/>\s*9 New Rd<\/textarea>/);

    const reply = await manager.post(`/shipping/${workflowId}/override`, { ...form, _confirm: "yes" });
    expect(reply.status).toBe(303);
    expect(reply.location).toBe(`/shipping/${workflowId}/?done=override`);
    expect((await manager.get(reply.location!)).html).toContain('<p class="flash" role="status">Overridden:');
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state).toEqual({ shippingAddress: "9 New Rd", email: "ann@example.com", trackingCode: "BY-HAND" });
    expect(instance.tasks.find((t) => t.id === ship.id)!.status).toBe("canceled");
    expect(instance.tasks.find((t) => t.name === "override")).toMatchObject({
      status: "succeeded",
      completedByUser: "manager",
    });
    expect(instance.tasks.map((t) => t.name)).toContain("sendTrackingCode");
    const change = (await env.joeflow.history(workflowId)).find((h) => h.taskName === "override")!;
    expect(change).toMatchObject({ user: "manager", before: { shippingAddress: "9 Old Rd" } });
    const page = await manager.get(`/shipping/${workflowId}/`);
    expect(section(page.html, "history-h")).toMatch(/<strong>override<\/strong> by manager/);
    expect(section(page.html, "history-h")).toContain(
      "<li><code>shippingAddress</code>: <del>9 Old Rd</del> → <ins>9 New Rd</ins></li>",
    );
  });
});

describe("security", () => {
  it("escapes state values, typed values, task exceptions and names from the URL", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("clerk");
    const script = "<script>alert(1)</script>";
    const started = await clerk.post("/shipping/checkout/", { shippingAddress: script });
    const workflowId = workflowIdOf(started.location, "shipping");
    const page = await clerk.get(started.location!);
    expect(page.html).toContain("<dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd>");
    expect(section(page.html, "history-h")).toContain("<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>");
    expect(page.html).not.toContain(script);
    const override = await new Browser(env.app).get(`/shipping/${workflowId}/override`); // anonymous: redirected
    expect(override.status).toBe(303);
    const manager = new Browser(env.app);
    await manager.signIn("manager");
    expect((await manager.get(`/shipping/${workflowId}/override`)).html).not.toContain(script);

    const typed = await clerk.post("/shipping/checkout/", {
      shippingAddress: "x",
      email: '"><script>alert(2)</script>',
    });
    expect(typed.status).toBe(422);
    expect(typed.html).toContain('value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
    expect(typed.html).not.toContain("<script>alert(2)");

    const { workflowId: nastyId } = await env.joeflow.start(nasty, { state: {} });
    await env.idle(nastyId);
    const failed = await clerk.get(`/nasty/${nastyId}/`);
    expect(failed.status).toBe(200);
    expect(section(failed.html, "failed-h")).toContain(
      "<strong>explode</strong>: Error: &lt;b&gt;bold&lt;/b&gt; &amp; broken</summary>",
    );
    expect(section(failed.html, "failed-h")).toMatch(
      /<pre class="trace">Error: &lt;b&gt;bold&lt;\/b&gt; &amp; broken\n/,
    );
    expect(failed.html).not.toContain("<b>bold</b>");

    const fromUrl = await clerk.get("/shipping/%3Cimg%20src%3Dx%20onerror%3Dalert(3)%3E/");
    expect(fromUrl.status).toBe(404);
    expect(fromUrl.html).toContain("&quot;&lt;img src=x onerror=alert(3)&gt;&quot; is not a start form");
    expect(fromUrl.html).not.toContain("<img src=x");
  });
});

describe("the workflow page", () => {
  it("shows the graph, the state, the tasks with links, the history and the way to the Temporal UI", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("clerk");
    const started = await clerk.post("/shipping/checkout/", {
      shippingAddress: "4 Graph Rd",
      email: "ann@example.com",
    });
    const workflowId = workflowIdOf(started.location, "shipping");
    const ship = await openTask(env.joeflow, workflowId, "ship");
    const warehouse = new Browser(env.app);
    await warehouse.signIn("warehouse");
    await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "T-4" });
    await env.idle(workflowId);

    const page = await clerk.get(`/shipping/${workflowId}/`);
    expect(page.status).toBe(200);
    expect(page.html).toContain("<title>Order to 4 Graph Rd · joeflow</title>");
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
      expect(row).toContain(`<code title="${task.id}">${shortId(task.id)}</code>`);
      expect(row).toContain(`<td data-label="task">${task.name}</td>`);
      expect(row).toContain(`<td data-label="type">${task.type}</td>`);
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
    expect(page.html).toContain(
      `<a href="http://temporal.test/workflows/shipping-${workflowId}">In the Temporal UI</a>`,
    );
    expect(page.html).toContain(`<a href="/shipping/${workflowId}/override">Override</a>`);
    expect(page.html).not.toContain("Cancel this workflow"); // it is done
  });

  it("shows a failed task's exception and stack trace; a signed-in user reruns it", async () => {
    fault.broken = true;
    const { workflowId } = await env.joeflow.start(failing, { state: {} });
    await env.idle(workflowId);
    const failed = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "fail")!;
    const rerunPath = `/failing/${workflowId}/tasks/${failed.id}/rerun`;

    const anonymous = new Browser(env.app);
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

    const admin = new Browser(env.app);
    await admin.signIn("admin");
    const page = await admin.get(`/failing/${workflowId}/`);
    expect(taskRow(page.html, failed.id)).toContain(
      `<form method="post" action="${rerunPath}" class="inline">` +
        `<input type="hidden" name="_csrf" value="${admin.csrf}"><button type="submit">Rerun</button></form>`,
    );
    expect(page.html).toContain(`href="/failing/${workflowId}/cancel"`);

    fault.broken = false;
    const rerun = await admin.post(rerunPath);
    expect(rerun.status).toBe(303);
    expect(rerun.location).toBe(`/failing/${workflowId}/?done=rerun&task=fail`);
    expect((await admin.get(rerun.location!)).html).toContain('<p class="flash" role="status">“Fail” runs again.</p>');
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.find((t) => t.id === failed.id)).toMatchObject({
      status: "succeeded",
      attempt: 2,
      exception: null,
    });
    expect(instance.status).toBe("done");
    const after = await admin.get(`/failing/${workflowId}/`);
    expect(section(after.html, "failed-h")).toBe("");

    const again = await admin.post(rerunPath);
    expect(again.status).toBe(409);
    expect(again.html).toContain(`<a href="/failing/${workflowId}/">Back to the workflow</a>`);
  });
});

describe("custom human tasks: your own handler", () => {
  let custom: Hono;
  beforeAll(() => {
    custom = demoApp(env.joeflow, {
      workflows: [survey],
      views: {
        "survey:ask": async (c, ctx) => {
          if (c.req.method === "GET") {
            return c.json({ fields: ["question"], task: ctx.taskName, hasOpenTask: ctx.task !== undefined });
          }
          const body = (await c.req.json()) as { question?: string };
          const { workflowId } = await ctx.joeflow.start(ctx.workflow, {
            task: ctx.taskName,
            state: { question: body.question },
            user: ctx.user,
          });
          return c.json({ workflowId, url: ctx.urls.detail(ctx.workflow.name, workflowId) }, 201);
        },
        "survey:reply": async (c, ctx) => {
          if (c.req.method === "GET") return c.json({ task: ctx.task!.id, question: ctx.instance!.state.question });
          const body = (await c.req.json()) as { answer?: unknown };
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
    expect(instance.tasks.find((t) => t.id === reply.id)).toMatchObject({
      status: "succeeded",
      completedByUser: "ann",
    });
    expect(instance.status).toBe("done");

    // The app's checks come first: a closed task is a 404 page, whatever the handler.
    const closed = await client.postJson(path, { answer: "Coffee" });
    expect(closed.status).toBe(404);
    expect(closed.html).toContain("This task is closed: it is succeeded.");
    // JSON without the CSRF header is refused.
    const forged = await client.request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(forged.status).toBe(403);
  });
});
