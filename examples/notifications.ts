/**
 * The demo's hooks: every event becomes a mail in the demo's outbox (examples/mailer.ts), and a new
 * human task's mail carries a signed one-click link to its form. `/outbox` shows the outbox as a page
 * (a demo-only route, added through the web app's `extend`). The outbox lives in memory: a restart
 * empties it.
 */
import { type HookEvent, type Hooks, HOOK_EVENT_KINDS, taskLink } from "joeflow";
import type { Hono } from "hono";
import { type Mail, mailer, outbox } from "./mailer.ts";

export interface NotificationOptions {
  /** Where the web app is served, for the links. */
  readonly baseUrl: string;
  /** The web app's `linkSecret`. */
  readonly linkSecret: string;
  /** Who a task nobody in particular is assigned to goes to; default "team". */
  readonly team?: string;
}

/** The worker's hooks: one mail per event; at least once, so a retried one may mail twice. */
export function notifications(options: NotificationOptions): Hooks {
  const hook = (event: HookEvent) => mailsOf(event, options).then((mails) => sendAll(mails));
  return Object.fromEntries(HOOK_EVENT_KINDS.map((kind) => [kind, hook])) as Hooks;
}

async function sendAll(mails: readonly Mail[]): Promise<void> {
  for (const mail of mails) await mailer.send(mail.to, mail.subject, mail.body);
}

/** The mails one event makes: to the people of a new human task, else to the workflow's watchers. */
export async function mailsOf(event: HookEvent, options: NotificationOptions): Promise<Mail[]> {
  const what = `${event.workflow.name} ${event.workflow.id.slice(0, 8)}`;
  if (event.kind === "taskScheduled" && event.task.type === "human") {
    const people = event.task.assignees.length ? event.task.assignees : [options.team ?? "team"];
    return await Promise.all(
      people.map(async (user) => {
        const link = await taskLink({
          baseUrl: options.baseUrl,
          secret: options.linkSecret,
          workflow: event.workflow.name,
          workflowId: event.workflow.id,
          task: event.task.name,
          taskId: event.task.id,
          user,
          expiresIn: "3 days",
        });
        return { to: `${user}@example.com`, subject: `New task: ${event.task.name} (${what})`, body: link };
      }),
    );
  }
  const about = "task" in event ? ` ${event.task.name}` : "";
  const by = event.user ? ` by ${event.user}` : "";
  return [{ to: "watchers@example.com", subject: `${event.kind}${about} (${what})`, body: `${event.at}${by}` }];
}

/** The demo's outbox page at `/outbox`, newest first; links in a mail are clickable. */
export function outboxRoute(app: Hono): void {
  app.get("/outbox", (c) => {
    const rows = [...outbox]
      .reverse()
      .map((mail) => {
        const body = /^https?:\/\//.test(mail.body)
          ? `<a href="${escapeHtml(mail.body)}">Open the task</a>`
          : escapeHtml(mail.body);
        return `<tr><td>${escapeHtml(mail.to)}</td><td>${escapeHtml(mail.subject)}</td><td>${body}</td></tr>`;
      })
      .join("\n");
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Outbox · joeflow demo</title>` +
        `<link rel="stylesheet" href="/static/joeflow.css"></head><body><main><h1>Outbox</h1>` +
        `<p>The demo's mail, sent by its hooks (in memory: a restart empties it). <a href="/">Back</a></p>` +
        `<table><thead><tr><th>To</th><th>Subject</th><th>Body</th></tr></thead><tbody>${rows}</tbody></table>` +
        `</main></body></html>`,
    );
  });
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
