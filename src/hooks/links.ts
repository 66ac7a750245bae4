/**
 * Signed one-click links to a task's form, for mails: `taskLink(...)` makes one, the web app (given
 * the same secret as `linkSecret`) checks it with `verifyTaskLink`.
 *
 * The link is a bearer credential for ONE task: whoever holds it acts as `user` on that task's form
 * (GET and POST), until it expires or the task closes, and nowhere else: it signs in nobody, and sets
 * no cookie. The signature (HMAC-SHA256) binds the workflow, the instance, the task, the user and the
 * expiry, so none can be changed; the app's permission checks and the task's assignees still apply to
 * that user. Keep expiries short, and the secret apart from your session secret.
 */
import { type Duration, durationMs } from "../definition/duration.ts";
import { sign, signs } from "./sign.ts";

/** The query parameters of a task link. */
export const TASK_LINK_PARAMS = { user: "as", expires: "exp", signature: "sig" } as const;

export interface TaskLinkTarget {
  readonly workflow: string;
  readonly workflowId: string;
  readonly task: string;
  readonly taskId: string;
  readonly user: string;
}

export interface TaskLinkOptions extends TaskLinkTarget {
  /** Where the web app is served, e.g. "https://flows.example.com" (with its base path, if any). */
  readonly baseUrl: string;
  readonly secret: string;
  /** How long the link works; e.g. "3 days". */
  readonly expiresIn: Duration;
  /** Now, in ms; default the clock. */
  readonly now?: number;
}

function signed(target: TaskLinkTarget, expires: number): string {
  // JSON keeps the parts apart: no value can run into the next one.
  return JSON.stringify(["joeflow-task-link", target.workflow, target.workflowId, target.taskId, target.user, expires]);
}

/** The task form's URL with the user, expiry and signature in its query. */
export async function taskLink(options: TaskLinkOptions): Promise<string> {
  const expires = Math.floor(((options.now ?? Date.now()) + durationMs(options.expiresIn)) / 1000);
  const path = [options.workflow, options.task, options.taskId].map(encodeURIComponent).join("/");
  const url = new URL(`${options.baseUrl.replace(/\/+$/, "")}/${path}/`);
  url.searchParams.set(TASK_LINK_PARAMS.user, options.user);
  url.searchParams.set(TASK_LINK_PARAMS.expires, String(expires));
  url.searchParams.set(TASK_LINK_PARAMS.signature, await sign(options.secret, signed(options, expires)));
  return url.href;
}

export type TaskLinkCheck =
  | { readonly ok: true; readonly user: string; readonly expires: number }
  | { readonly ok: false; readonly reason: "MalformedLink" | "LinkExpired" | "BadSignature" };

/**
 * Checks a link's query against the task it points to. The signature is checked first, so a link
 * with a changed expiry is `BadSignature`, never "expired".
 */
export async function verifyTaskLink(options: {
  readonly secret: string;
  readonly target: Omit<TaskLinkTarget, "user">;
  readonly query: URLSearchParams;
  readonly now?: number;
}): Promise<TaskLinkCheck> {
  const user = options.query.get(TASK_LINK_PARAMS.user);
  const expiresText = options.query.get(TASK_LINK_PARAMS.expires) ?? "";
  const signature = options.query.get(TASK_LINK_PARAMS.signature);
  if (!user || !/^\d{1,15}$/.test(expiresText) || !signature) return { ok: false, reason: "MalformedLink" };
  const expires = Number(expiresText);
  if (!(await signs(options.secret, signed({ ...options.target, user }, expires), signature))) {
    return { ok: false, reason: "BadSignature" };
  }
  if ((options.now ?? Date.now()) / 1000 > expires) return { ok: false, reason: "LinkExpired" };
  return { ok: true, user, expires };
}
