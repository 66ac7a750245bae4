/**
 * The message a page shows after an action ("Completed “Ship”."). The redirect after a POST carries a
 * code in the query, `?done=cancelTask&task=ship`, never text: the code must be "start" or a message's
 * name, the task a task of the page's workflow, and the words are ours. So a link someone crafts can at
 * most show one of these sentences. A query rather than a signed cookie: no state, no secret, and a
 * page opened in two tabs cannot show the other's message; joeflow.js drops it from the address bar so
 * a reload does not say it again. `workflow` names a served workflow, for pages not of one (the front page).
 */
import type { Context } from "hono";
import { MESSAGE_NAMES, type MessageName } from "joeflow";
import type { WebDeps } from "../deps.ts";
import { labelOf } from "./common.ts";

export type FlashCode = MessageName | "start";

const SENTENCES: { readonly [K in FlashCode]: (task: string | undefined, workflow: string) => string } = {
  start: (_task, workflow) => `Started ${workflow}.`,
  completeTask: (task) => (task ? `Completed “${task}”.` : "Completed the task."),
  override: () => "Overridden: the open tasks are cancelled, the state is saved and the picked tasks started.",
  rerun: (task) => (task ? `“${task}” runs again.` : "The task runs again."),
  cancelTask: (task) => (task ? `Cancelled “${task}”.` : "Cancelled the task."),
  cancelWorkflow: (_task, workflow) => `Cancelled this ${workflow} workflow.`,
  claim: (task) => (task ? `You claimed “${task}”: it is yours to do.` : "You claimed the task."),
  release: (task) => (task ? `Released “${task}” to its group.` : "Released the task to its group."),
  reassign: (task) => (task ? `Reassigned “${task}”.` : "Reassigned the task."),
  setDue: (task) => (task ? `Moved the due date of “${task}”.` : "Moved the task's due date."),
};

/**
 * The query to append to a redirect: `?done=completeTask&task=ship`; the workflow's name only for a
 * page that is not the workflow's own (the front page after a form).
 */
export function flashQuery(code: FlashCode, task?: string, workflow?: string): string {
  const query = new URLSearchParams({ done: code });
  if (task) query.set("task", task);
  if (workflow) query.set("workflow", workflow);
  return `?${query}`;
}

/** The sentence for this request's `done` code, or nothing when there is none (or it is not ours). */
export function flashOf(c: Context, workflows: WebDeps["workflows"], page: string | undefined): string | undefined {
  const code = c.req.query("done");
  const definition = workflows.get(page ?? c.req.query("workflow") ?? "")?.definition;
  if (code !== "start" && !MESSAGE_NAMES.includes(code as MessageName)) return undefined;
  const taskName = c.req.query("task");
  const known = taskName !== undefined && definition !== undefined && Object.hasOwn(definition.graph.tasks, taskName);
  const task = known ? labelOf(taskName) : undefined;
  const workflow = definition ? labelOf(definition.name) : "workflow";
  return SENTENCES[code as FlashCode](task, workflow);
}
