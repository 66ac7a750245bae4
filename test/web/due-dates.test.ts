// no engine needed: due dates are set by the store's transactions (the memory story); their passing is
// the interpreter's, tested in test/engine/due-dates.test.ts
import type { Hono } from "hono";
import { defineWorkflow, tasks } from "joeflow";
import { createWebApp } from "joeflow/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type MemoryJoeflow, memoryJoeflow } from "../fixtures/memory-joeflow.ts";
import { Browser, openTask } from "./helpers.ts";

const invoice = defineWorkflow({
  name: "invoice",
  state: z.object({ amount: z.number().default(0), note: z.string().default("") }),
  tasks: {
    start: tasks.start(),
    pay: tasks.updateView({ fields: ["note"], assignees: ["ann"], due: "3 days" }),
  },
  edges: [["start", "pay"]],
});

let memory: MemoryJoeflow;
let app: Hono;
beforeAll(async () => {
  memory = await memoryJoeflow([invoice]);
  app = createWebApp({
    joeflow: memory.joeflow,
    workflows: [invoice],
    auth: {
      user: (c) => c.req.header("x-user") ?? null,
      can: ({ user, permission }) => permission !== "assign" || user === "boss",
    },
  });
});
afterAll(async () => {
  await memory?.close();
});

const as = (user: string) => new Browser(app, { "x-user": user });

async function bill() {
  const { workflowId } = await memory.joeflow.start(invoice, { state: { amount: 12 } });
  const pay = await openTask(memory.joeflow, workflowId, "pay");
  return { workflowId, pay, duePage: `/invoice/${workflowId}/tasks/${pay.id}/due`, api: `/api/tasks/${pay.id}/due` };
}

describe("due dates people see and move", () => {
  it("shows when a task is due on its form and in the inbox, and lets a permitted user move it", async () => {
    const { workflowId, pay, duePage } = await bill();
    expect(pay.due!.getTime() - pay.created.getTime()).toBe(3 * 86_400_000);
    const form = await as("ann").get(`/invoice/pay/${pay.id}/`);
    expect(form.html).toContain(`Due <time datetime="${pay.due!.toISOString()}"`);
    expect(form.html).not.toContain("Change the due date"); // ann may not assign
    expect((await as("boss").get(`/invoice/${workflowId}/`)).html).toContain(`<a href="${duePage}"`);
    const inbox = await as("ann").get("/inbox");
    expect(inbox.html).toContain(`<time datetime="${pay.due!.toISOString()}"`);

    expect((await as("ann").get(duePage)).status).toBe(403);
    const page = await as("boss").get(duePage);
    expect(page.html).toContain(`value="${pay.due!.toISOString().slice(0, 16)}"`);
    const bad = await as("boss").post(duePage, { due: "tomorrow" });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain("Give a date and time");
    const moved = await as("boss").post(duePage, { due: "2027-01-15T09:30" });
    expect(moved.status).toBe(303);
    expect(moved.location).toBe(`/invoice/${workflowId}/?done=setDue&task=pay`);
    expect((await memory.joeflow.getTask(pay.id)).due).toEqual(new Date("2027-01-15T09:30:00Z"));
    const detail = await as("boss").get(moved.location!);
    expect(detail.html).toContain("Moved the due date of “Pay”.");
    expect(detail.html).toMatch(/<strong>setDue<\/strong> pay by boss/);

    expect((await as("boss").post(duePage, { due: "", _none: "1" })).status).toBe(303);
    expect((await memory.joeflow.getTask(pay.id)).due).toBeNull();
  });

  it("marks a task past its due date overdue, and the inbox counts and filters them", async () => {
    const { workflowId, pay, api } = await bill();
    const past = await as("boss").postJson(api, { due: "2020-01-01T00:00:00Z" });
    expect(past.status).toBe(200);
    const task = JSON.parse((await as("boss").get(`/api/tasks/${pay.id}`)).html);
    expect(task).toMatchObject({ due: "2020-01-01T00:00:00.000Z", overdue: true });
    const detail = await as("ann").get(`/invoice/${workflowId}/`);
    expect(detail.html).toContain('class="status status-overdue"');
    const overdue = JSON.parse((await as("ann").get("/api/inbox?scope=overdue")).html);
    expect(overdue.items.map((t: { id: string }) => t.id)).toContain(pay.id);
    expect(overdue.counts.overdue).toBeGreaterThanOrEqual(1);
    expect((await as("ann").get("/inbox?scope=overdue")).html).toMatch(/Overdue\s*<span class="count">\d+<\/span>/);
  });

  it("refuses bad due dates and strangers with clear errors, and changes nothing", async () => {
    const { pay, api } = await bill();
    const refused = await as("ann").postJson(api, { due: "2027-01-01T00:00:00Z" });
    expect(refused.status).toBe(403);
    for (const due of ["2027-01-01", "2027-01-01T00:00:00", "soon", 5, "0000-01-01T00:00:00Z"]) {
      const bad = await as("boss").postJson(api, { due });
      expect(bad.status, JSON.stringify(due)).toBe(422);
      expect(JSON.parse(bad.html).error.code).toBe("InvalidData");
    }
    expect((await memory.joeflow.getTask(pay.id)).due).toEqual(pay.due);
    await memory.joeflow.completeTask(pay.id, { data: { note: "paid" }, user: "ann" });
    const closed = await as("boss").postJson(api, { due: null });
    expect(closed.status).toBe(409);
    expect(JSON.parse(closed.html).error.code).toBe("TaskNotOpen");
  });
});
