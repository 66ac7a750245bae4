/**
 * The reassign form of an open human task: new users and groups, comma-separated. Its claimer or a
 * direct assignee may delegate it; anybody else needs the `assign` permission.
 */
import type { Context } from "hono";
import { type AssigneeArg, InvalidData, MESSAGE_INFO, type TaskView, type WorkflowView } from "joeflow";
import { notFound } from "../errors.ts";
import { formBody } from "../forms/mod.ts";
import { labelOf, page, type PageKit } from "./common.ts";
import { guard } from "./guard.ts";

export async function reassignPage(
  kit: PageKit,
  c: Context,
  instance: WorkflowView,
  taskId: string,
): Promise<Response> {
  const back = kit.urls.detail(instance.name, instance.id);
  const task = instance.tasks.find((t) => t.id === taskId);
  if (task?.type !== "human") throw notFound("No such task in this workflow.", back);
  if (task.status !== "scheduled") throw notFound(`This task is closed: it is ${task.status}.`, back);
  const user = await guard(kit, c, "view", instance.name, instance.id);
  const info = MESSAGE_INFO.reassign;
  const asOwner = info.target === "task" && info.ownTask?.(task, user) === true;
  if (!asOwner) await guard(kit, c, "assign", instance.name, instance.id);
  const show = (values: { users: string; groups: string }, errors: readonly string[], status: 200 | 422) =>
    page(
      kit,
      c,
      [`${instance.name}/reassign`, "workflow/reassign"],
      {
        title: `Reassign ${labelOf(task.name)}`,
        heading: `Reassign ${labelOf(task.name)}`,
        instance,
        task,
        values,
        errors,
      },
      status,
    );
  if (c.req.method !== "POST") return await show(current(task), [], 200);
  const body = await formBody(c);
  const values = { users: text(body.users), groups: text(body.groups) };
  const assignees: AssigneeArg[] = [
    ...names(values.users).map((name) => ({ user: name })),
    ...names(values.groups).map((name) => ({ group: name })),
  ];
  if (assignees.length === 0) return await show(values, ["Name at least one user or group."], 422);
  try {
    await kit.deps.joeflow.reassign({ ...task, workflowName: instance.name }, { assignees, user, asOwner });
  } catch (error) {
    if (error instanceof InvalidData)
      return await show(
        values,
        error.issues.map((i) => i.message),
        422,
      );
    throw error;
  }
  return c.redirect(back, 303);
}

function current(task: TaskView): { users: string; groups: string } {
  return { users: task.assignees.join(", "), groups: task.groups.join(", ") };
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const names = (list: string): string[] => [...new Set(list.split(/[,\s]+/).filter(Boolean))];
