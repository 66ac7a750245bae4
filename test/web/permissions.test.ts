// no engine needed: instances are started from code and the pages only read them.
/**
 * Lists show only what the auth hook lets the user see: the front page and the inbox leave out the
 * instances and tasks of workflows (and single instances) hidden from them, and the front page offers
 * start buttons only for workflows they may start. The JSON API's lists filter the same way.
 */
import type { Hono } from "hono";
import { type Auth, createWebApp } from "joeflow/web";
import { beforeAll, describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { welcome } from "../../examples/welcome.ts";
import { Browser, openTask } from "./helpers.ts";
import { approval, note, useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("lists filtered by permission", () => {
  let app: Hono;
  let hiddenOrder = "";
  /**
   * Who asks is the `x-user` header. Nobody but "boss" may see notes; "ann" may see approvals but
   * not start them; and one shipping order is the boss's alone.
   */
  const auth: Auth = {
    user: (c) => c.req.header("x-user") ?? null,
    can: ({ user, permission, workflow, workflowId }) => {
      if (user === "boss") return true;
      if (user === "blind") return permission !== "view"; // may act, but may see nothing
      if (workflow === "note") return false;
      if (workflow === "approval" && permission === "start") return false;
      if (workflowId !== undefined && workflowId === hiddenOrder) return false;
      return ["view", "start", "complete"].includes(permission);
    },
  };

  let note1 = "";
  let fileTask = "";
  let visibleOrder = "";
  let visibleShip = "";
  let hiddenShip = "";
  beforeAll(async () => {
    app = createWebApp({ joeflow: env.joeflow, workflows: [shipping, welcome, approval, note], auth });
    note1 = (await env.joeflow.start(note, { state: { text: "secret note" } })).workflowId;
    fileTask = (await openTask(env.joeflow, note1, "file")).id;
    const visible = await env.order("1 Open St");
    visibleOrder = visible.workflowId;
    visibleShip = visible.ship.id;
    const hidden = await env.order("2 Secret St");
    hiddenOrder = hidden.workflowId;
    hiddenShip = hidden.ship.id;
  });

  it("the front page leaves out hidden workflows and instances, and start buttons one may not use", async () => {
    const ann = new Browser(app, { "x-user": "ann" });
    const index = await ann.get("/");
    expect(index.status).toBe(200);
    expect(index.html).toContain(visibleOrder);
    expect(index.html).not.toContain(hiddenOrder);
    expect(index.html).not.toContain(note1);
    // No card, no start button and no filter choice for notes.
    expect(index.html).not.toContain("/note/write/");
    expect(index.html).not.toContain('value="note"');
    expect(index.html).not.toMatch(/<h2>Note<\/h2>/);
    // Approvals: a card and a filter choice, but no start button.
    expect(index.html).toMatch(/<h2>Approval<\/h2>/);
    expect(index.html).toContain('value="approval"');
    expect(index.html).not.toContain("/approval/request/");
    expect(index.html).toContain("/shipping/checkout/");
    expect((await ann.get("/?name=note")).status).toBe(403);
    expect((await ann.get("/approval/request/")).status).toBe(403);

    // The boss sees all of it.
    const boss = await new Browser(app, { "x-user": "boss" }).get("/");
    for (const text of [visibleOrder, hiddenOrder, note1, "/note/write/", "/approval/request/"]) {
      expect(boss.html).toContain(text);
    }
  });

  it("the inbox leaves out the tasks of hidden workflows and instances", async () => {
    const inbox = await new Browser(app, { "x-user": "ann" }).get("/inbox");
    expect(inbox.status).toBe(200);
    expect(inbox.html).toContain(`/shipping/ship/${visibleShip}/`);
    expect(inbox.html).not.toContain(hiddenShip);
    expect(inbox.html).not.toContain(fileTask);
    expect(inbox.html).not.toContain(hiddenOrder);
    const boss = await new Browser(app, { "x-user": "boss" }).get("/inbox");
    for (const text of [visibleShip, hiddenShip, fileTask]) expect(boss.html).toContain(text);
  });

  it("the API's lists leave them out as well", async () => {
    const ann = new Browser(app, { "x-user": "ann" });
    const ids = async (path: string) =>
      (JSON.parse((await ann.get(path)).html) as { items: { id: string }[] }).items.map((item) => item.id);
    const orders = await ids("/api/shipping/instances");
    expect(orders).toContain(visibleOrder);
    expect(orders).not.toContain(hiddenOrder);
    const tasks = await ids("/api/tasks?status=scheduled");
    expect(tasks).toContain(visibleShip);
    expect(tasks).not.toContain(hiddenShip);
    expect(tasks).not.toContain(fileTask);
    expect((await ann.get("/api/note/instances")).status).toBe(403);
  });

  it("lets nobody act on an instance they may not see: task forms, buttons and the API's messages", async () => {
    const blind = new Browser(app, { "x-user": "blind" });
    expect((await blind.get(`/shipping/ship/${visibleShip}/`)).status).toBe(403);
    expect((await blind.post(`/shipping/ship/${visibleShip}/`, { trackingCode: "X" })).status).toBe(403);
    expect((await blind.post(`/shipping/${visibleOrder}/cancel`)).status).toBe(403);
    const api = await blind.postJson(`/api/tasks/${visibleShip}/complete`, { data: { trackingCode: "X" } });
    expect(api.status).toBe(403);
    expect((await blind.postJson(`/api/shipping/${visibleOrder}/cancel`, {})).status).toBe(403);
    expect((await env.joeflow.get(visibleOrder)).status).toBe("running");
    expect((await env.joeflow.getTask(visibleShip)).status).toBe("scheduled");
  });
});
