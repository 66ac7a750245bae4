/**
 * Signed one-click task links (joeflow's `taskLink`, made by a mail hook): when the app has a
 * `linkSecret`, a task form's URL that carries a link's query acts as the link's user, for that one
 * request to that one task. The link signs in nobody and sets no cookie: the next request without it
 * is whoever the session says. The form's POST carries the same query, so the user can submit it.
 * Permissions (`can`) and the task's assignees still apply to the link's user; a link that is
 * expired, altered, or for another task is refused with a 403 page that says which.
 */
import type { Context } from "hono";
import { TASK_LINK_PARAMS, type TaskSummary, verifyTaskLink } from "joeflow";
import { WebError } from "../errors.ts";

const REASONS = {
  MalformedLink: "This link is incomplete: copy the whole link from the message.",
  LinkExpired: "This link has expired. Sign in to open the task, or ask for a new link.",
  BadSignature: "This link is not valid: it was changed, or it is not for this task.",
} as const;

/** Whether the request carries a link at all (its signature parameter). */
export function carriesLink(c: Context): boolean {
  return c.req.query(TASK_LINK_PARAMS.signature) !== undefined;
}

/**
 * Checks the link on a task form's request and, when valid, makes its user the acting one for this
 * request; throws a 403 when the link is not valid, or the app takes no links.
 */
export async function acceptTaskLink(
  c: Context,
  secret: string | undefined,
  task: TaskSummary,
  workflow: string,
): Promise<void> {
  if (!secret) throw new WebError(403, "LinkRefused", "This app does not take signed task links.");
  const query = new URL(c.req.url).searchParams;
  const target = { workflow, workflowId: task.workflowId, task: task.name, taskId: task.id };
  const check = await verifyTaskLink({ secret, target, query });
  if (!check.ok) throw new WebError(403, "LinkRefused", REASONS[check.reason]);
  c.set("linkUser", check.user);
}

/** The query to keep on the form's action, so that its POST carries the link too; "" without one. */
export function linkQuery(c: Context): string {
  if (c.get("linkUser") === undefined) return "";
  const query = new URL(c.req.url).searchParams;
  const kept = new URLSearchParams();
  for (const name of Object.values(TASK_LINK_PARAMS)) kept.set(name, query.get(name) ?? "");
  return `?${kept}`;
}

declare module "hono" {
  interface ContextVariableMap {
    /** The user of a valid task link on this request (links.ts). */
    linkUser: string;
  }
}
