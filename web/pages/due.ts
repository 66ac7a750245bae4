/**
 * The due-date form of an open human task: a new date and time (UTC, since the server does not know
 * the reader's zone), or none. Moving a due date plans its passing again; it needs `assign`.
 */
import type { Context } from "hono";
import { InvalidData, type TaskView, type WorkflowView } from "joeflow";
import { notFound } from "../errors.ts";
import { formBody } from "../forms/mod.ts";
import { labelOf, page, type PageKit } from "./common.ts";
import { flashQuery } from "./flash.ts";
import { guard } from "./guard.ts";

export async function duePage(kit: PageKit, c: Context, instance: WorkflowView, taskId: string): Promise<Response> {
  const back = kit.urls.detail(instance.name, instance.id);
  const task = instance.tasks.find((t) => t.id === taskId);
  if (task?.type !== "human") throw notFound("No such task in this workflow.", back);
  if (task.status !== "scheduled") throw notFound(`This task is closed: it is ${task.status}.`, back);
  const user = await guard(kit, c, "assign", instance.name, instance.id);
  const heading = `Due date of ${labelOf(task.name)}`;
  const show = (value: string, errors: readonly string[], status: 200 | 422) =>
    page(
      kit,
      c,
      [`${instance.name}/due`, "workflow/due"],
      { title: heading, heading, instance, task, value, errors },
      status,
    );
  if (c.req.method !== "POST") return await show(inputValue(task), [], 200);
  const body = await formBody(c);
  const value = typeof body.due === "string" ? body.due.trim() : "";
  const none = body._none !== undefined;
  const due = none ? null : fromInput(value);
  if (due === undefined) return await show(value, ["Give a date and time, as 2026-12-24T17:00, in UTC."], 422);
  try {
    await kit.deps.joeflow.setDue({ ...task, workflowName: instance.name }, { due, user });
  } catch (error) {
    if (error instanceof InvalidData)
      return await show(
        value,
        error.issues.map((i) => i.message),
        422,
      );
    throw error;
  }
  return c.redirect(`${back}${flashQuery("setDue", task.name)}`, 303);
}

/** A datetime-local field's value for the task's due date, in UTC ("" without one). */
function inputValue(task: TaskView): string {
  return task.due ? task.due.toISOString().slice(0, 16) : "";
}

/** "2026-12-24T17:00" (seconds optional) read as UTC; undefined when it is no such time. */
function fromInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const date = new Date(`${value}Z`);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 ? undefined : date.toISOString();
}
