// no engine needed: claims are messages applied by the store's transactions (the memory story)
import type { Hono } from "hono";
import type { Auth } from "joeflow/web";
import { createWebApp } from "joeflow/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MemoryJoeflow, memoryJoeflow } from "../fixtures/memory-joeflow.ts";
import { queue } from "../fixtures/workflows.ts";
import { Browser, openTask } from "./helpers.ts";

/** The warehouse team: ann and bob; carl is in accounting; the manager is in no group. */
const TEAMS: Record<string, readonly string[]> = { ann: ["warehouse"], bob: ["warehouse"], carl: ["accounting"] };
const auth: Auth = { user: (c) => c.req.header("x-user") ?? null, groups: (user) => TEAMS[user] ?? [] };

let memory: MemoryJoeflow;
let app: Hono;
beforeAll(async () => {
  memory = await memoryJoeflow([queue]);
  app = createWebApp({ joeflow: memory.joeflow, workflows: [queue], auth });
});
afterAll(async () => {
  await memory?.close();
});

const as = (user: string) => new Browser(app, { "x-user": user });

async function order() {
  const { workflowId } = await memory.joeflow.start(queue, { state: { note: "two boxes" }, user: "clerk" });
  const pack = await openTask(memory.joeflow, workflowId, "pack");
  return { workflowId, pack, form: `/queue/pack/${pack.id}/`, api: `/api/tasks/${pack.id}` };
}

describe("a task offered to a group: the warehouse's queue", () => {
  it("is offered to the group and the manager; a member claims it before completing it", async () => {
    const { workflowId, pack, form } = await order();
    expect(pack.groups).toEqual(["warehouse"]);
    expect(pack.assignees).toEqual(["manager"]);
    expect(pack.claimedBy).toBeNull();

    const ann = as("ann");
    const unclaimed = await ann.get(form);
    expect(unclaimed.status).toBe(200);
    expect(unclaimed.html).toContain("Offered to warehouse: claim it to work on it.");
    expect(unclaimed.html).toContain(">Claim</button>");
    expect(unclaimed.html).not.toContain(">Complete</button>");
    const early = await ann.post(form, { note: "packed" });
    expect(early.status).toBe(409);
    expect(early.html).toContain("is not claimed: claim it first");

    const claimed = await ann.post(`/queue/${workflowId}/tasks/${pack.id}/claim`, { _back: form });
    expect(claimed.status).toBe(303);
    expect(claimed.location).toBe(`${form}?done=claim&task=pack`);
    const mine = await ann.get(form);
    expect(mine.html).toContain("Claimed by you.");
    expect(mine.html).toContain(">Release</button>");
    expect(mine.html).toContain(">Complete</button>");

    // bob, of the same group, may not take it from her nor complete it; carl, of another, may not see its form.
    expect((await as("bob").get(form)).status).toBe(403);
    expect((await as("bob").postJson(`/api/tasks/${pack.id}/claim`, {})).status).toBe(409);
    expect((await as("carl").get(form)).status).toBe(403);
    const manager = await as("manager").post(form, { note: "mine" });
    expect(manager.status).toBe(403);
    expect(manager.html).toContain("This task is claimed by ann.");

    const done = await ann.post(form, { note: "packed" });
    expect(done.status).toBe(303);
    const instance = await memory.joeflow.get(workflowId);
    expect(instance.state).toEqual({ note: "packed" });
    expect(instance.tasks.find((t) => t.id === pack.id)).toMatchObject({ completedByUser: "ann", claimedBy: "ann" });
  });

  it("lets the claimer release it to the queue, where another member claims it", async () => {
    const { pack, api } = await order();
    const bob = as("bob");
    expect((await bob.postJson(`${api}/claim`, {})).status).toBe(200);
    expect((await as("ann").postJson(`${api}/release`, {})).status).toBe(409); // not hers to hand back
    const released = await bob.postJson(`${api}/release`, {});
    expect(released.status).toBe(200);
    expect((await memory.joeflow.getTask(pack.id)).claimedBy).toBeNull();
    const again = await bob.postJson(`${api}/release`, {});
    expect(again.status).toBe(409);
    expect(JSON.parse(again.html).error.code).toBe("NotClaimed");
    expect((await as("ann").postJson(`${api}/claim`, {})).status).toBe(200);
    expect((await memory.joeflow.getTask(pack.id)).claimedBy).toBe("ann");
  });

  it("refuses a claim from outside the queue (403) and from nobody (401)", async () => {
    const { api } = await order();
    const carl = await as("carl").postJson(`${api}/claim`, {});
    expect(carl.status).toBe(403);
    expect(JSON.parse(carl.html).error.code).toBe("NotAssignee");
    const nobody = await new Browser(app).postJson(`${api}/claim`, {});
    expect(nobody.status).toBe(401);
  });

  it("lets a direct assignee complete it without claiming it", async () => {
    const { workflowId, form } = await order();
    expect((await as("manager").post(form, { note: "done by the manager" })).status).toBe(303);
    expect((await memory.joeflow.get(workflowId)).state).toEqual({ note: "done by the manager" });
  });
});

describe("reassigning and delegating", () => {
  // The default lets any signed-in user assign; an app's `can` may refuse it, but not the task's own people.
  const strictly = (user: string) =>
    new Browser(
      createWebApp({
        joeflow: memory.joeflow,
        workflows: [queue],
        auth: { ...auth, can: ({ user, permission }) => permission !== "assign" && user !== null },
      }),
      { "x-user": user },
    );

  it("lets the claimer delegate the task to a colleague, who completes it without claiming", async () => {
    const { workflowId, pack, api } = await order();
    const ann = as("ann");
    expect((await ann.postJson(`${api}/claim`, {})).status).toBe(200);
    const page = await ann.get(`/queue/${workflowId}/tasks/${pack.id}/reassign`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="users" type="text" value="manager"');
    const moved = await ann.post(`/queue/${workflowId}/tasks/${pack.id}/reassign`, { users: "dora", groups: "" });
    expect(moved.status).toBe(303);
    const task = await memory.joeflow.getTask(pack.id);
    expect(task).toMatchObject({ assignees: ["dora"], groups: [], claimedBy: null });
    expect((await as("ann").get(`/queue/pack/${pack.id}/`)).status).toBe(403);
    expect((await as("dora").post(`/queue/pack/${pack.id}/`, { note: "dora's" })).status).toBe(303);

    // Who did what, and when: on the workflow page and in the API.
    const detail = await ann.get(`/queue/${workflowId}/`);
    expect(detail.html).toContain('<h2 id="actions-h">Actions</h2>');
    expect(detail.html).toMatch(/<strong>claim<\/strong> pack by ann/);
    expect(detail.html).toMatch(/<strong>reassign<\/strong> pack by ann/);
    const read = JSON.parse((await ann.get(`/api/queue/${workflowId}`)).html);
    expect(read.actions.map((a: { name: string; user: string }) => [a.name, a.user])).toEqual([
      ["claim", "ann"],
      ["reassign", "ann"],
      ["completeTask", "dora"],
    ]);
  });

  it("needs the assign permission for somebody else's task; the API takes users and groups", async () => {
    const { pack, api } = await order();
    const body = { assignees: [{ user: "carl" }, { group: "accounting" }] };
    const refused = await strictly("bob").postJson(`${api}/reassign`, body);
    expect(refused.status).toBe(403);
    const bad = await strictly("manager").postJson(`${api}/reassign`, { assignees: [] });
    expect(bad.status).toBe(422);
    const delegated = await strictly("manager").postJson(`${api}/reassign`, body);
    expect(delegated.status).toBe(200);
    expect(await memory.joeflow.getTask(pack.id)).toMatchObject({ assignees: ["carl"], groups: ["accounting"] });
  });

  it("makes a claimed task its claimer's alone: an assignee takes it only with the assign permission", async () => {
    const { pack, api } = await order();
    expect((await as("ann").postJson(`${api}/claim`, {})).status).toBe(200);
    const manager = strictly("manager");
    const taken = await manager.postJson(`${api}/reassign`, { assignees: [{ user: "manager" }] });
    expect(taken.status).toBe(403);
    // Let through as the task's own a moment ago, the transaction sees that it no longer is.
    const late = await memory.joeflow
      .reassign(pack.id, { user: "manager", asOwner: true, assignees: [{ user: "manager" }] })
      .catch((e: unknown) => e);
    expect(late).toMatchObject({ code: "TaskClaimed" });
    expect(await memory.joeflow.getTask(pack.id)).toMatchObject({ claimedBy: "ann" });
  });
});

describe("the API's description", () => {
  it("names claim, release and reassign, with reassign's assignees, and a task's groups and claimer", async () => {
    const doc = JSON.parse((await as("ann").get("/api/openapi.json")).html);
    expect(doc.paths["/tasks/{taskId}/claim"].post.operationId).toBe("claimTask");
    expect(doc.paths["/tasks/{taskId}/release"].post.operationId).toBe("releaseTask");
    const reassign = doc.paths["/tasks/{taskId}/reassign"].post;
    expect(reassign.operationId).toBe("reassignTask");
    expect(reassign.requestBody.required).toBe(true);
    const ref: string = reassign.requestBody.content["application/json"].schema.$ref;
    expect(doc.components.schemas[ref.split("/").at(-1)!].required).toEqual(["assignees"]);
    expect(Object.keys(doc.components.schemas.Task.properties)).toEqual(
      expect.arrayContaining(["groups", "claimedBy"]),
    );
  });
});
