import { describe, expect, it } from "vitest";
import { Browser, fieldBlock, linkHref, section, taskRow, workflowIdOf } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("a clerk starts a shipping order", () => {
  it("starts the order and lands on its page, which has the state from the form", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("clerk");
    const reply = await clerk.post("/shipping/checkout/", {
      shippingAddress: "1 Main St\r\nSpringfield",
      email: "ann@example.com",
    });
    expect(reply.status).toBe(303);
    const workflowId = workflowIdOf(reply.location, "shipping");
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state).toEqual({ shippingAddress: "1 Main St\nSpringfield", email: "ann@example.com" });
    expect(instance.tasks[0]).toMatchObject({ name: "checkout", status: "succeeded", completedByUser: "clerk" });
    const page = await clerk.get(reply.location!);
    expect(page.status).toBe(200);
    expect(taskRow(page.html, instance.tasks[0]!.id)).toContain(
      '<span class="status status-succeeded">succeeded</span>',
    );
    expect(taskRow(page.html, instance.tasks[0]!.id)).toContain(`<td data-label="by">clerk</td>`);
  });

  it("picks a user from the directory in the welcome form", async () => {
    const clerk = new Browser(env.app);
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
    const { workflowId, ship } = await env.order("2 Ship St");
    const warehouse = new Browser(env.app);
    await warehouse.signIn("warehouse");
    const detail = await warehouse.get(`/shipping/${workflowId}/`);
    // The open task links to its form.
    expect(linkHref(detail.html, { text: "ship" })).toBe(`/shipping/ship/${ship.id}/`);

    const form = await warehouse.get(`/shipping/ship/${ship.id}/`);
    expect(form.status).toBe(200);
    expect(form.html).toContain("<h1>Ship</h1>");
    expect(form.html).toContain(`Workflow <a href="/shipping/${workflowId}/">${workflowId}</a>`);
    expect(form.html).toContain(`action="/shipping/ship/${ship.id}/"`);
    expect(fieldBlock(form.html, "trackingCode")).toContain(
      '<label for="field-trackingCode">Tracking code <abbr title="required">*</abbr></label>',
    ); // the Ship task requires it
    expect(form.html).toContain('<button type="submit">Complete</button>');

    const reply = await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "T-1" });
    expect(reply.status).toBe(303);
    expect(reply.location).toBe(`/shipping/${workflowId}/?done=completeTask&task=ship`);
    const page = await warehouse.get(reply.location!);
    expect(page.html).toContain('<p class="flash" role="status">Completed “Ship”.</p>');
    const row = taskRow(page.html, ship.id)!;
    expect(row).toContain('class="task-succeeded"');
    expect(row).toContain(`<td data-label="by">warehouse</td>`);
    expect(row).not.toContain("<a href="); // closed: no link to the form
    expect(section(page.html, "state-h")).toContain("<dt>trackingCode</dt><dd>T-1</dd>");
    expect((await env.joeflow.get(workflowId)).state.trackingCode).toBe("T-1");
  });

  it("posting the same task again finds it closed: 404 with a readable page, nothing changed", async () => {
    const { workflowId, ship } = await env.order("3 Twice St");
    const warehouse = new Browser(env.app);
    expect((await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "first" })).status).toBe(303);
    const second = await warehouse.post(`/shipping/ship/${ship.id}/`, { trackingCode: "second" });
    expect(second.status).toBe(404);
    expect(second.html).toContain("<h1>Not found</h1>");
    expect(second.html).toContain("This task is closed: it is succeeded.");
    expect((await warehouse.get(`/shipping/ship/${ship.id}/`)).status).toBe(404);
    expect((await env.joeflow.get(workflowId)).state.trackingCode).toBe("first");
  });

  it("gets a readable 404 for a wrong task name, a non-id, an unknown id and an unknown workflow", async () => {
    const { ship } = await env.order();
    const someone = new Browser(env.app);
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
    const { workflowId } = await env.order();
    await notFound(`/welcome/${workflowId}/`, "There is no such workflow instance.");
  });

  it("answers 405 to a PUT of a task form", async () => {
    const { ship } = await env.order();
    const someone = new Browser(env.app);
    await someone.get("/");
    const reply = await someone.request(`/shipping/ship/${ship.id}/`, {
      method: "PUT",
      headers: { "x-csrf-token": someone.csrf! },
    });
    expect(reply.status).toBe(405);
  });
});
