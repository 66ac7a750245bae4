/**
 * What a request may reach: served workflows, their instances and tasks (404 for anything else,
 * including an instance or task of another workflow), and what the user may do with them (401/403).
 */
import type { Context } from "hono";
import { type TaskSummary, UnknownTask, UnknownWorkflow, type WorkflowView } from "joeflow";
import { allowed, type Permission } from "../auth.ts";
import type { WebDeps, WebWorkflow } from "../deps.ts";
import { notAllowed } from "../errors.ts";

/** The current user when they may do this; throws 401 (nobody) or 403 (somebody) otherwise. */
export async function permit(
  deps: WebDeps,
  c: Context,
  permission: Permission,
  workflow: string,
  workflowId?: string,
): Promise<string | null> {
  const user = await deps.auth.user(c);
  if (await allowed(deps.auth, { user, permission, workflow, workflowId })) return user;
  throw notAllowed(user, `you may not ${permission} here.`);
}

export function servedWorkflow(deps: WebDeps, name: string): WebWorkflow {
  const web = deps.workflows.get(name);
  if (!web) throw new UnknownWorkflow(name);
  return web;
}

/** An instance of this workflow; 404 for a malformed id, an unknown one, or one of another workflow. */
export async function servedInstance(deps: WebDeps, web: WebWorkflow, id: string): Promise<WorkflowView> {
  const instance = await deps.joeflow.get(id);
  if (instance.name !== web.definition.name) throw new UnknownWorkflow(id);
  return instance;
}

/** A task of a served workflow; 404 for a malformed id or an unknown one. */
export async function servedTask(deps: WebDeps, taskId: string): Promise<TaskSummary> {
  const task = await deps.joeflow.getTask(taskId);
  if (!deps.workflows.has(task.workflowName)) throw new UnknownTask(taskId);
  return task;
}

/** Whether the user may view instances of this workflow; for filtering lists. */
export async function mayView(
  deps: WebDeps,
  user: string | null,
  workflow: string,
  workflowId?: string,
): Promise<boolean> {
  return await allowed(deps.auth, { user, permission: "view", workflow, workflowId });
}
