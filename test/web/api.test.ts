import type { Hono } from "hono";
import { defineWorkflow, tasks } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { type Auth, createWebApp } from "joeflow/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { shipping } from "../../examples/shipping.ts";
import { assignee, failing, fault, simple } from "../fixtures/workflows.ts";

/** Two ways in, and a person who picks the way on. */
const intake = defineWorkflow({
  name: "intake",
  state: z.object({ phone: z.string().min(3).optional(), email: z.email().optional(), note: z.string().default("") }),
  tasks: {
    byPhone: tasks.startView({ fields: ["phone", "note"] }),
    byMail: tasks.startView({ fields: ["email", "note"] }),
    triage: tasks.updateView({ fields: ["note"], pickNext: true }),
    accept: () => {},
    reject: () => {},
  },
  edges: [
    ["byPhone", "triage"],
    ["byMail", "triage"],
    ["triage", "accept"],
    ["triage", "reject"],
  ],
});

/** Who asks is the `x-user` header; "mallory" may only look. */
const auth: Auth = {
  user: (c) => c.req.header("x-user") ?? null,
  can: ({ user, permission }) => {
    if (user === "mallory") return permission === "view";
    return user !== null || ["view", "start", "complete"].includes(permission);
  },
};

// Replies are whatever JSON the API sends; the tests look into it freely.
// biome-ignore lint/suspicious/noExplicitAny: a test reads any JSON the API answers
type Json = any;

interface Reply {
  readonly status: number;
  readonly body: Json;
  readonly headers: Headers;
}

interface Call {
  readonly user?: string;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as is. */
  readonly raw?: string;
  readonly contentType?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe("the JSON API", () => {
  let env: TestEnv;
  let app: Hono;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [shipping, simple, assignee, failing, intake] });
    app = createWebApp({
      joeflow: env.joeflow,
      workflows: [shipping, simple, assignee, { workflow: failing, overrideView: false }, intake],
      auth,
    });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function call(method: "GET" | "POST" | "PUT" | "DELETE", path: string, options: Call = {}): Promise<Reply> {
    const headers = new Headers();
    if (options.user) headers.set("x-user", options.user);
    const body = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
    if (method === "POST") headers.set("content-type", options.contentType ?? "application/json");
    const response = await app.request(path, { method, headers, body });
    const type = response.headers.get("content-type") ?? "";
    return {
      status: response.status,
      body: type.includes("json") ? await response.json() : await response.text(),
      headers: response.headers,
    };
  }
  const get = (path: string, user?: string) => call("GET", path, { user });
  const post = (path: string, json: unknown, user?: string) => call("POST", path, { json, user });

  /** Starts a shipping order through the API; its open "ship" task. */
  async function startOrder(address = "1 Main St") {
    const started = await post("/api/shipping/start", { state: { shippingAddress: address } }, "clerk");
    expect(started.status).toBe(201);
    const workflowId: string = started.body.workflowId;
    const ship = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship")!;
    return { workflowId, ship };
  }
  const count = async () => (await env.joeflow.list({ limit: 500 })).items.length;

  it("describes the served workflows", async () => {
    const reply = await get("/api/workflows");
    expect(reply.status).toBe(200);
    const byName = Object.fromEntries(reply.body.items.map((w: Json) => [w.name, w]));
    expect(Object.keys(byName).sort()).toEqual(["assignee", "failing", "intake", "shipping", "simple"]);
    expect(byName.shipping).toMatchObject({ startTasks: ["checkout"], overrides: true });
    expect(byName.shipping.tasks[0]).toEqual({
      name: "checkout",
      kind: "startView",
      type: "human",
      fields: ["shippingAddress", "email"],
      next: ["ship"],
    });
    expect(byName.shipping.tasks.find((t: Json) => t.name === "hasEmail")).toEqual({
      name: "hasEmail",
      kind: "machine",
      type: "machine",
      next: ["sendTrackingCode", "end"],
    });
    expect(byName.shipping.edges).toContainEqual(["checkout", "ship"]);
    expect(byName.simple.startTasks).toEqual(["startView"]);
    expect(byName.failing).toMatchObject({ startTasks: [], overrides: false });
    expect(byName.intake.startTasks).toEqual(["byPhone", "byMail"]);
    expect(byName.intake.tasks.find((t: Json) => t.name === "triage")).toMatchObject({
      pickNext: true,
      next: ["accept", "reject"],
    });
  });

  it("starts an instance from a start view with only its fields: 201 with where it is", async () => {
    const reply = await post(
      "/api/shipping/start",
      { state: { shippingAddress: "1 Main St", trackingCode: "sneaked in" } },
      "clerk",
    );
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ workflowId: expect.any(String), url: `/api/shipping/${reply.body.workflowId}` });
    expect(reply.headers.get("location")).toBe(reply.body.url);
    const instance = await env.joeflow.get(reply.body.workflowId);
    expect(instance.state).toEqual({ shippingAddress: "1 Main St" });
    expect(instance.tasks[0]).toMatchObject({ name: "checkout", status: "succeeded", completedByUser: "clerk" });
    // Several start views: one is named. A tasks.start() task is for code, not for HTTP.
    expect((await post("/api/intake/start", { state: { phone: "555" } })).body.error).toMatchObject({
      code: "InvalidData",
      issues: [expect.objectContaining({ path: ["task"] })],
    });
    expect((await post("/api/intake/start", { task: "triage", state: {} })).status).toBe(422);
    const byMail = await post("/api/intake/start", { task: "byMail", state: { email: "a@example.com", phone: "555" } });
    expect(byMail.status).toBe(201);
    expect((await env.joeflow.get(byMail.body.workflowId)).state).toEqual({ email: "a@example.com", note: "" });
    expect((await post("/api/simple/start", { task: "startMethod", state: {} })).status).toBe(422);
    const simpleStart = await post("/api/simple/start", { state: { text: "hi" } }); // its only start view
    expect(simpleStart.status).toBe(201);
    expect((await env.joeflow.get(simpleStart.body.workflowId)).tasks[0]!.name).toBe("startView");
  });

  it("refuses invalid state with the issues, and creates nothing", async () => {
    const before = await count();
    const reply = await post("/api/shipping/start", { state: { shippingAddress: "", email: "not-mail" } }, "clerk");
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe("InvalidData");
    expect(reply.body.error.message).toMatch(/Invalid data/);
    expect(reply.body.error.issues.map((i: Json) => i.path)).toEqual(
      expect.arrayContaining([["shippingAddress"], ["email"]]),
    );
    // The envelope is checked too: unknown keys, a state that is not an object.
    expect((await post("/api/shipping/start", { stat: {} })).body.error.issues[0]).toMatchObject({
      code: "unrecognized_keys",
    });
    expect((await post("/api/shipping/start", { state: "1 Main St" })).body.error.issues[0]).toMatchObject({
      path: ["state"],
    });
    expect((await post("/api/shipping/start", [])).status).toBe(422);
    expect(await count()).toBe(before);
  });

  it("answers 404 in JSON for unknown workflows, instances, tasks and routes; 405 for other methods", async () => {
    const unknownWorkflow = await post("/api/nope/start", { state: {} });
    expect(unknownWorkflow.status).toBe(404);
    expect(unknownWorkflow.body.error.code).toBe("UnknownWorkflow");
    for (const path of [
      "/api/nope/instances",
      `/api/nope/${crypto.randomUUID()}`,
      "/api/shipping/not-an-id",
      `/api/shipping/${crypto.randomUUID()}`,
      "/api/tasks/not-an-id",
      `/api/tasks/${crypto.randomUUID()}`,
    ]) {
      const reply = await get(path);
      expect([path, reply.status]).toEqual([path, 404]);
      expect(reply.body.error.code).toMatch(/^Unknown(Workflow|Task)$/);
    }
    for (const path of ["/api/nope", "/api/", "/api", "/api/a/b/c/d/e", "/api/shipping/start/"]) {
      const reply = await get(path);
      expect([path, reply.status, reply.body]).toEqual([
        path,
        404,
        { error: { code: "NotFound", message: expect.any(String) } },
      ]);
    }
    expect((await post("/api/failing/start", { state: {} })).body.error.code).toBe("NotFound"); // no start view
    const wrongMethod = await call("DELETE", "/api/shipping/instances");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET");
    expect((await get("/api/shipping/start")).status).toBe(405);
    expect((await call("PUT", `/api/tasks/${crypto.randomUUID()}/complete`)).body.error.code).toBe("MethodNotAllowed");
  });

  it("takes only application/json bodies (415) that are JSON (400), changing nothing", async () => {
    const before = await count();
    const body = JSON.stringify({ state: { shippingAddress: "1 Main St" } });
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const reply = await call("POST", "/api/shipping/start", { raw: body, contentType });
      expect([contentType, reply.status, reply.body.error.code]).toEqual([contentType, 415, "UnsupportedMediaType"]);
    }
    expect(
      (await call("POST", "/api/shipping/start", { raw: body, contentType: "application/json; charset=utf-8" })).status,
    ).toBe(201);
    const malformed = await call("POST", "/api/shipping/start", { raw: "{ state: nope" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("MalformedJson");
    expect(await count()).toBe(before + 1);
    // Actions without arguments need the JSON content type too: a cross-site form cannot send it.
    const { workflowId } = await startOrder();
    const cancel = await call("POST", `/api/shipping/${workflowId}/cancel`, {
      user: "manager",
      raw: "",
      contentType: "text/plain",
    });
    expect(cancel.status).toBe(415);
    expect((await env.joeflow.get(workflowId)).status).toBe("running");
    const huge = await call("POST", "/api/shipping/start", {
      raw: JSON.stringify({ state: { shippingAddress: "x".repeat(2 * 1024 * 1024) } }),
    });
    expect([huge.status, huge.body.error.code]).toEqual([413, "PayloadTooLarge"]);
  });

  it("completes a task once: the second time is 409; bad data is 422 and changes nothing", async () => {
    const { workflowId, ship } = await startOrder("2 Side St");
    const before = await env.joeflow.get(workflowId);
    const invalid = await post(`/api/tasks/${ship.id}/complete`, { data: { trackingCode: 42 } }, "warehouse");
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.issues).toEqual([expect.objectContaining({ path: ["trackingCode"] })]);
    const wrongNext = await post(`/api/tasks/${ship.id}/complete`, { data: {}, next: ["checkout"] }, "warehouse");
    expect(wrongNext.status).toBe(422);
    expect(wrongNext.body.error.issues).toEqual([expect.objectContaining({ path: ["next"] })]);
    expect((await post(`/api/tasks/${ship.id}/complete`, { data: {}, nxt: [] })).status).toBe(422);
    expect(await env.joeflow.get(workflowId)).toEqual(before);

    const done = await post(
      `/api/tasks/${ship.id}/complete`,
      { data: { trackingCode: "T-2", shippingAddress: "changed" } },
      "warehouse",
    );
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ workflowId, taskId: ship.id, workflowStatus: "running" });
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("done");
    expect(instance.state).toEqual({ shippingAddress: "2 Side St", trackingCode: "T-2" });
    expect(instance.tasks.find((t) => t.id === ship.id)!.completedByUser).toBe("warehouse");

    const again = await post(`/api/tasks/${ship.id}/complete`, { data: { trackingCode: "again" } }, "warehouse");
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("TaskNotOpen");
    const machine = instance.tasks.find((t) => t.name === "hasEmail")!;
    expect((await post(`/api/tasks/${machine.id}/complete`, { data: {} })).status).toBe(409);
  });

  it("lets the person pick the way on among the outgoing edges", async () => {
    const started = await post("/api/intake/start", { task: "byPhone", state: { phone: "555-1234" } }, "ann");
    const triage = (await env.joeflow.get(started.body.workflowId)).tasks.find((t) => t.name === "triage")!;
    expect(
      (await post(`/api/tasks/${triage.id}/complete`, { data: { note: "spam" }, next: ["reject"] }, "ann")).status,
    ).toBe(200);
    await env.idle(started.body.workflowId);
    const instance = await env.joeflow.get(started.body.workflowId);
    expect(instance.tasks.map((t) => t.name)).toEqual(["byPhone", "triage", "reject"]);
    expect(instance.state).toEqual({ phone: "555-1234", note: "spam" });
  });

  it("lets only the assignees complete an assigned task (403), and asks nobody to sign in (401)", async () => {
    const started = await post("/api/assignee/start", {}, "requester");
    expect(started.status).toBe(201);
    const { workflowId } = started.body;
    const review = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "review")!;
    expect(review.assignees).toEqual(["ann", "bob"]);
    const carl = await post(`/api/tasks/${review.id}/complete`, { data: { approved: true } }, "carl");
    expect([carl.status, carl.body.error.code]).toEqual([403, "NotAssignee"]);
    const nobody = await post(`/api/tasks/${review.id}/complete`, { data: { approved: true } });
    expect([nobody.status, nobody.body.error.code]).toEqual([401, "SignInRequired"]);
    expect((await env.joeflow.getTask(review.id)).status).toBe("scheduled");
    expect((await post(`/api/tasks/${review.id}/complete`, { data: { approved: true } }, "bob")).status).toBe(200);
    const confirm = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "confirm")!;
    expect(confirm.assignees).toEqual(["bob"]);
    expect((await post(`/api/tasks/${confirm.id}/complete`, {}, "ann")).status).toBe(403);
    expect((await post(`/api/tasks/${confirm.id}/complete`, {}, "bob")).status).toBe(200);
    expect((await env.joeflow.get(workflowId)).state).toEqual({ approved: true });
  });

  it("checks permissions: 401 for nobody, 403 for somebody who may not", async () => {
    const { workflowId, ship } = await startOrder();
    const before = await env.joeflow.get(workflowId);
    expect((await post("/api/shipping/start", { state: { shippingAddress: "x" } }, "mallory")).status).toBe(403);
    for (const [path, body] of [
      [`/api/shipping/${workflowId}/override`, { next: [] }],
      [`/api/shipping/${workflowId}/cancel`, {}],
      [`/api/tasks/${ship.id}/cancel`, {}],
    ] as const) {
      expect([path, (await post(path, body)).status]).toEqual([path, 401]);
      expect([path, (await post(path, body, "mallory")).status]).toEqual([path, 403]);
    }
    expect(
      (await post(`/api/tasks/${ship.id}/complete`, { data: { trackingCode: "M" } }, "mallory")).body.error.code,
    ).toBe("Forbidden");
    expect((await get(`/api/shipping/${workflowId}`, "mallory")).status).toBe(200);
    expect(await env.joeflow.get(workflowId)).toEqual(before);
  });

  it("overrides an instance: new state, chosen next tasks; bad overrides change nothing", async () => {
    const { workflowId, ship } = await startOrder("3 Override Rd");
    const before = await env.joeflow.get(workflowId);
    const invalid = await post(
      `/api/shipping/${workflowId}/override`,
      { state: { shippingAddress: "" }, next: [] },
      "manager",
    );
    expect([invalid.status, invalid.body.error.issues[0].path]).toEqual([422, ["shippingAddress"]]);
    const teleport = await post(`/api/shipping/${workflowId}/override`, { next: ["teleport"] }, "manager");
    expect([teleport.status, teleport.body.error.issues[0].path]).toEqual([422, ["next"]]);
    // next is required
    expect((await post(`/api/shipping/${workflowId}/override`, { state: {} }, "manager")).status).toBe(422);
    // An instance of another workflow, and a workflow that takes no overrides.
    expect((await post(`/api/simple/${workflowId}/override`, { next: [] }, "manager")).status).toBe(404);
    expect((await post(`/api/simple/${workflowId}/cancel`, {}, "manager")).status).toBe(404);
    expect((await get(`/api/simple/${workflowId}`)).status).toBe(404);
    expect((await post(`/api/failing/${workflowId}/override`, { next: [] }, "manager")).status).toBe(404);
    expect(await env.joeflow.get(workflowId)).toEqual(before);

    const reply = await post(
      `/api/shipping/${workflowId}/override`,
      { state: { trackingCode: "BY-HAND" }, next: ["hasEmail"] },
      "manager",
    );
    expect(reply.status).toBe(200);
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    const override = instance.tasks.find((t) => t.name === "override")!;
    expect(reply.body).toMatchObject({ workflowId, taskId: override.id });
    expect(override.completedByUser).toBe("manager");
    expect(instance.tasks.find((t) => t.id === ship.id)!.status).toBe("canceled");
    expect(instance.state).toEqual({ shippingAddress: "3 Override Rd", trackingCode: "BY-HAND" });
    expect(instance.status).toBe("done");
  });

  it("reruns a failed task once it is fixed; a task that has not failed is 409", async () => {
    fault.broken = true;
    const { workflowId } = await env.joeflow.start(failing, { state: {} });
    await env.idle(workflowId);
    const failed = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "fail")!;
    expect(failed.status).toBe("failed");
    const seen = await get(`/api/tasks/${failed.id}`);
    expect(seen.body).toMatchObject({
      id: failed.id,
      workflowName: "failing",
      status: "failed",
      exception: "Error: Boom!",
    });
    expect(seen.body.stacktrace).toMatch(/Boom!/);
    expect((await post(`/api/tasks/${failed.id}/rerun`, {})).status).toBe(401);
    expect((await post(`/api/tasks/${failed.id}/rerun`, {}, "mallory")).status).toBe(403);
    expect((await post(`/api/tasks/${failed.id}/rerun`, { now: true }, "ops")).status).toBe(422);

    fault.broken = false;
    const rerun = await call("POST", `/api/tasks/${failed.id}/rerun`, { user: "ops" }); // an empty body is {}
    expect(rerun.status).toBe(200);
    expect(rerun.body.workflowId).toBe(workflowId);
    await env.idle(workflowId);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.find((t) => t.id === failed.id)).toMatchObject({ status: "succeeded", attempt: 2 });
    expect(instance.status).toBe("done");
    const again = await post(`/api/tasks/${failed.id}/rerun`, {}, "ops");
    expect([again.status, again.body.error.code]).toEqual([409, "TaskNotOpen"]);
  });

  it("cancels a task, and a whole instance", async () => {
    const first = await startOrder();
    const canceled = await post(`/api/tasks/${first.ship.id}/cancel`, {}, "manager");
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ workflowId: first.workflowId, taskId: first.ship.id });
    expect(await env.joeflow.getTask(first.ship.id)).toMatchObject({ status: "canceled", completedByUser: "manager" });
    expect((await post(`/api/tasks/${first.ship.id}/cancel`, {}, "manager")).status).toBe(409);

    const second = await startOrder();
    const reply = await post(`/api/shipping/${second.workflowId}/cancel`, {}, "manager");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ workflowId: second.workflowId, taskId: null, workflowStatus: "canceled" });
    const instance = await env.joeflow.get(second.workflowId);
    expect(instance.status).toBe("canceled");
    expect(instance.tasks.find((t) => t.id === second.ship.id)!.status).toBe("canceled");
  });

  it("gets an instance with its tasks and history, dates as ISO strings", async () => {
    const { workflowId, ship } = await startOrder("4 History Ln");
    await post(`/api/tasks/${ship.id}/complete`, { data: { trackingCode: "H-4" } }, "warehouse");
    await env.idle(workflowId);
    const reply = await get(`/api/shipping/${workflowId}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: workflowId,
      name: "shipping",
      status: "done",
      state: { shippingAddress: "4 History Ln", trackingCode: "H-4" },
    });
    expect(reply.body.created).toMatch(ISO_DATE);
    expect(reply.body.tasks.map((t: Json) => [t.name, t.status])).toEqual([
      ["checkout", "succeeded"],
      ["ship", "succeeded"],
      ["hasEmail", "succeeded"],
      ["end", "succeeded"],
    ]);
    expect(reply.body.tasks[1].completed).toMatch(ISO_DATE);
    expect(reply.body.history.slice(0, 2).map((h: Json) => [h.taskName, h.user, h.before, h.after])).toEqual([
      ["checkout", "clerk", null, { shippingAddress: "4 History Ln" }],
      [
        "ship",
        "warehouse",
        { shippingAddress: "4 History Ln" },
        { shippingAddress: "4 History Ln", trackingCode: "H-4" },
      ],
    ]);
    expect(reply.body.history[0].at).toMatch(ISO_DATE);
  });

  it("lists instances newest first, page by page, filtered by status", async () => {
    for (const text of ["a", "b", "c"]) await env.joeflow.start(simple, { task: "startMethod", state: { text } });
    const all = (await env.joeflow.list({ name: "simple", limit: 500 })).items.map((w) => w.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply: Reply = await get(
        `/api/simple/instances?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(reply.status).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(2);
      expect(reply.body.items.every((w: Json) => w.name === "simple" && ISO_DATE.test(w.created))).toBe(true);
      seen.push(...reply.body.items.map((w: Json) => w.id));
      cursor = reply.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
    const running = await get("/api/simple/instances?status=running&limit=500");
    expect(running.body.items.length).toBeGreaterThan(0);
    expect(running.body.items.every((w: Json) => w.status === "running")).toBe(true);
    expect((await get("/api/simple/instances?status=done")).body.items).toEqual([]);
    for (const [query, field] of [
      ["status=bogus", "status"],
      ["limit=0", "limit"],
      ["limit=x", "limit"],
      ["limit=501", "limit"],
      ["cursor=garbage", "cursor"],
    ]) {
      const reply = await get(`/api/simple/instances?${query}`);
      expect([query, reply.status, reply.body.error.issues[0].path]).toEqual([query, 422, [field]]);
    }
  });

  it("lists tasks filtered by status, name, instance, assignee and type", async () => {
    const { workflowId, ship } = await startOrder("5 Filter St");
    const ofInstance = await get(`/api/tasks?workflowId=${workflowId}`);
    expect(ofInstance.body.items.map((t: Json) => t.name).sort()).toEqual(["checkout", "ship"]);
    expect(ofInstance.body.items.find((t: Json) => t.name === "ship")).toMatchObject({
      id: ship.id,
      workflowId,
      workflowName: "shipping",
      type: "human",
      status: "scheduled",
    });
    const open = await get(`/api/tasks?workflowId=${workflowId}&status=scheduled&name=ship&type=human`);
    expect(open.body.items.map((t: Json) => t.id)).toEqual([ship.id]);
    expect((await get(`/api/tasks?workflowId=${workflowId}&status=failed`)).body.items).toEqual([]);

    const started = await post("/api/assignee/start", {}, "requester");
    const review = (await env.joeflow.get(started.body.workflowId)).tasks.find((t) => t.name === "review")!;
    const forAnn = (await get("/api/tasks?assignee=ann&status=scheduled&limit=500")).body.items.map((t: Json) => t.id);
    expect(forAnn).toContain(review.id);
    expect(forAnn).not.toContain(ship.id);
    const unassigned = (await get("/api/tasks?unassigned=true&status=scheduled&limit=500")).body.items.map(
      (t: Json) => t.id,
    );
    expect(unassigned).toContain(ship.id);
    expect(unassigned).not.toContain(review.id);

    const firstPage = await get("/api/tasks?limit=1");
    expect(firstPage.body.items).toHaveLength(1);
    const secondPage = await get(`/api/tasks?limit=1&cursor=${encodeURIComponent(firstPage.body.nextCursor)}`);
    expect(secondPage.body.items[0].id).not.toBe(firstPage.body.items[0].id);
    expect((await get("/api/tasks?status=open")).status).toBe(422);
    expect((await get("/api/tasks?type=robot")).status).toBe(422);
  });

  it("describes itself in OpenAPI 3.1, built from the state schemas, with every $ref inside the document", async () => {
    const reply = await get("/api/openapi.json");
    expect(reply.status).toBe(200);
    const doc = reply.body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "/api" }]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/assignee/instances",
      "/assignee/start",
      "/assignee/{workflowId}",
      "/assignee/{workflowId}/cancel",
      "/assignee/{workflowId}/override",
      "/failing/instances",
      "/failing/{workflowId}",
      "/failing/{workflowId}/cancel",
      "/inbox",
      "/intake/instances",
      "/intake/start",
      "/intake/{workflowId}",
      "/intake/{workflowId}/cancel",
      "/intake/{workflowId}/override",
      "/openapi.json",
      "/shipping/instances",
      "/shipping/start",
      "/shipping/{workflowId}",
      "/shipping/{workflowId}/cancel",
      "/shipping/{workflowId}/override",
      "/simple/instances",
      "/simple/start",
      "/simple/{workflowId}",
      "/simple/{workflowId}/cancel",
      "/simple/{workflowId}/override",
      "/tasks",
      "/tasks/{taskId}",
      "/tasks/{taskId}/cancel",
      "/tasks/{taskId}/claim",
      "/tasks/{taskId}/complete",
      "/tasks/{taskId}/due",
      "/tasks/{taskId}/reassign",
      "/tasks/{taskId}/release",
      "/tasks/{taskId}/rerun",
      "/workflows",
    ]);
    const schemas = doc.components.schemas;
    // The state, as stored; a start view and a human task take only their fields, as sent (defaults optional).
    expect(Object.keys(schemas["shipping.State"].properties)).toEqual(["email", "shippingAddress", "trackingCode"]);
    expect(schemas["shipping.checkout.Fields"]).toMatchObject({ required: ["shippingAddress"] });
    expect(Object.keys(schemas["shipping.checkout.Fields"].properties)).toEqual(["shippingAddress", "email"]);
    expect(schemas["shipping.checkout.Fields"].properties.email).toMatchObject({ type: "string", format: "email" });
    expect(Object.keys(schemas["shipping.ship.Fields"].properties)).toEqual(["trackingCode"]);
    expect(schemas["simple.startView.Fields"].required ?? []).toEqual([]); // text has a default
    expect(schemas["simple.State"].required).toEqual(["text"]);
    expect(schemas["shipping.ship.CompleteRequest"].properties.next.items.enum).toEqual(["hasEmail"]);
    expect(schemas["simple.startMethod.StartRequest"]).toBeUndefined();
    expect(schemas["simple.startView.StartRequest"].required).toEqual([]);
    expect(schemas["intake.byMail.StartRequest"].required).toEqual(["task"]);
    expect(Object.keys(schemas["intake.byMail.Fields"].properties)).toEqual(["email", "note"]);
    expect(schemas["intake.triage.CompleteRequest"].properties.next.items.enum).toEqual(["accept", "reject"]);
    expect(doc.paths["/intake/start"].post.requestBody.content["application/json"].schema.oneOf).toEqual([
      { $ref: "#/components/schemas/intake.byPhone.StartRequest" },
      { $ref: "#/components/schemas/intake.byMail.StartRequest" },
    ]);
    expect(schemas.Error.properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(["InvalidData", "NotAssignee", "UnsupportedMediaType"]),
    );
    const start = doc.paths["/shipping/start"].post;
    expect(start.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/shipping.checkout.StartRequest",
    });
    expect(Object.keys(start.responses).sort()).toEqual(["201", "400", "401", "403", "404", "413", "415", "422"]);
    const complete = doc.paths["/tasks/{taskId}/complete"].post.requestBody.content["application/json"].schema;
    expect(complete.anyOf.map((r: Json) => r.$ref).sort()).toEqual([
      "#/components/schemas/assignee.confirm.CompleteRequest",
      "#/components/schemas/assignee.review.CompleteRequest",
      "#/components/schemas/intake.triage.CompleteRequest",
      "#/components/schemas/shipping.ship.CompleteRequest",
      "#/components/schemas/simple.saveThePrincess.CompleteRequest",
    ]);

    // Structure: every $ref resolves inside the document; operation ids are unique; path parameters are declared.
    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        for (const [key, item] of Object.entries(value)) {
          if (key === "$ref" && typeof item === "string") refs.push(item);
          else walk(item);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const pointer of new Set(refs)) {
      expect(pointer.startsWith("#/")).toBe(true);
      const target = pointer
        .slice(2)
        .split("/")
        .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
        .reduce<Json>((node, part) => node?.[part], doc);
      expect([pointer, target === undefined]).toEqual([pointer, false]);
    }
    const operations = Object.entries(doc.paths).flatMap(([path, item]: [string, Json]) =>
      ["get", "post"].filter((m) => item[m]).map((m) => ({ path, item, operation: item[m] })),
    );
    const ids = operations.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const resolve = (p: Json) => (p.$ref ? doc.components.parameters[p.$ref.split("/").at(-1)] : p);
    for (const { path, item, operation } of operations) {
      const declared = [...(item.parameters ?? []), ...(operation.parameters ?? [])]
        .map(resolve)
        .filter((p) => p.in === "path")
        .map((p) => p.name);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect([path, declared.sort()]).toEqual([path, inPath.sort()]);
      expect(operation.responses).toBeTypeOf("object");
    }
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("moves zod's $defs of a recursive state into the components, and points the $refs there", async () => {
    interface Part {
      readonly name: string;
      readonly parts: readonly Part[];
    }
    const part: z.ZodType<Part> = z.object({
      name: z.string(),
      get parts() {
        return z.array(part);
      },
    });
    const bom = defineWorkflow({
      name: "bom",
      state: z.object({ root: part.optional() }),
      tasks: { draft: tasks.startView({ fields: ["root"] }), done: () => {} },
      edges: [["draft", "done"]],
    });
    const response = await createWebApp({ joeflow: env.joeflow, workflows: [bom] }).request("/api/openapi.json");
    const doc: Json = await response.json();
    const schemas = doc.components.schemas;
    const fields = schemas["bom.draft.Fields"];
    expect(fields.$defs).toBeUndefined();
    const target: string = fields.properties.root.$ref;
    expect(target).toMatch(/^#\/components\/schemas\/bom\.draft\.Fields\./);
    const definition = schemas[target.split("/").at(-1)!];
    expect(definition.properties.parts.items.$ref).toBe(target);
    expect(JSON.stringify(doc)).not.toContain("#/$defs/");
  });
});
