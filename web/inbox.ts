/**
 * The inbox as the pages and the API read it: the store's query for the served workflows the user may
 * view, then each task's instance asked of the auth hook, as the other lists do.
 */
import type { InboxPage, InboxScope, TaskSummary } from "joeflow";
import { allowed } from "./auth.ts";
import type { WebDeps } from "./deps.ts";

export interface InboxFilters {
  readonly scope?: InboxScope;
  readonly workflow?: string;
  readonly task?: string;
  readonly search?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

/**
 * The user's inbox. The counts and the cursor come from the workflows the user may view as a whole; a
 * task whose instance the auth hook hides is left out of the page (which may then hold fewer), as on the
 * front page, so counts may include such tasks.
 */
export async function readInbox(deps: WebDeps, user: string | null, filters: InboxFilters): Promise<InboxPage> {
  const workflows: string[] = [];
  for (const name of deps.workflows.keys()) {
    if (await allowed(deps.auth, { user, permission: "view", workflow: name })) workflows.push(name);
  }
  const groups = user && deps.auth.groups ? await deps.auth.groups(user) : [];
  const inbox = await deps.joeflow.inbox({ ...filters, user, groups, workflows });
  const items: TaskSummary[] = [];
  const visible = new Map<string, Promise<boolean>>();
  for (const task of inbox.items) {
    let answer = visible.get(task.workflowId);
    if (!answer) {
      const question = { user, permission: "view" as const, workflow: task.workflowName, workflowId: task.workflowId };
      answer = allowed(deps.auth, question);
      visible.set(task.workflowId, answer);
    }
    if (await answer) items.push(task);
  }
  return { ...inbox, items };
}
