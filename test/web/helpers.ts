/**
 * A tiny browser for `app.request`: it keeps the cookies the app sets, reads the CSRF token from
 * its cookie and posts forms with it, as a person's browser would. Plus the auth the tests sign in
 * with, and a few readers of the HTML the pages send.
 */
import type { Hono } from "hono";
import type { Joeflow, TaskView } from "joeflow";
import { createWebApp, type Auth, type WebAppOptions } from "joeflow/web";
import { type DemoAuthOptions, demoAuth } from "../../web/demo-auth.ts";
import { createTemplates } from "../../web/templates.ts";
import { createUrls } from "../../web/urls.ts";

export const CSRF_COOKIE = "joeflow_csrf";

/** What came back: the status, where it redirects to, and the body as text. */
export interface Reply {
  readonly status: number;
  readonly location: string | null;
  readonly contentType: string;
  readonly html: string;
  readonly response: Response;
}

type Form = Record<string, string | readonly string[] | undefined>;

/** Where the browser sends its requests: a Hono app in memory, or a server over HTTP (`overHttp`). */
export interface Site {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}

/** A server at `base`, asked over HTTP; redirects come back as they are, as to a browser's network tab. */
export function overHttp(base: string): Site {
  return { request: (path, init) => fetch(new URL(path, base), { ...init, redirect: "manual" }) };
}

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly app: Site | Hono,
    readonly headers: Record<string, string> = {},
  ) {}

  /** The CSRF token, as the app's cookie holds it (undefined until the app has set it). */
  get csrf(): string | undefined {
    return this.cookies.get(CSRF_COOKIE);
  }

  async request(path: string, init: RequestInit = {}): Promise<Reply> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.headers)) if (!headers.has(name)) headers.set(name, value);
    if (this.cookies.size)
      headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const response = await this.app.request(path, { ...init, headers });
    this.keep(response.headers.getSetCookie());
    return {
      status: response.status,
      location: response.headers.get("location"),
      contentType: response.headers.get("content-type") ?? "",
      html: await response.clone().text(),
      response,
    };
  }

  get(path: string): Promise<Reply> {
    return this.request(path);
  }

  /**
   * Posts a urlencoded form with the CSRF token from the cookie, as our forms' hidden field does.
   * `csrf: false` leaves it out; a string sends that instead.
   */
  async post(path: string, form: Form = {}, options: { csrf?: boolean | string } = {}): Promise<Reply> {
    const body = new URLSearchParams();
    const token =
      options.csrf === false ? undefined : typeof options.csrf === "string" ? options.csrf : await this.token();
    if (token !== undefined) body.append("_csrf", token);
    for (const [name, value] of Object.entries(form)) {
      for (const item of value === undefined ? [] : typeof value === "string" ? [value] : value)
        body.append(name, item);
    }
    return await this.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  }

  /** Posts JSON as a script on our pages would: the token goes in the X-CSRF-Token header. */
  async postJson(path: string, data: unknown): Promise<Reply> {
    return await this.request(path, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": await this.token() },
      body: JSON.stringify(data),
    });
  }

  /** Signs in with the demo's sign-in page; answers where it sent us. */
  async signIn(name: string, next?: string): Promise<Reply> {
    await this.get(next ? `/signin?next=${encodeURIComponent(next)}` : "/signin");
    return await this.post("/signin", { name, next });
  }

  private async token(): Promise<string> {
    if (!this.csrf) await this.get("/static/joeflow.css"); // any page sets the cookie
    return this.csrf!;
  }

  private keep(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      const gone =
        attributes.some((a) => /^max-age=0$/i.test(a)) ||
        attributes.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now());
      if (gone || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** An `Auth` that believes the `x-user` header, as behind a proxy that signs people in; no sign-in page. */
export function headerAuth(options: { mayOverride?: readonly string[] } = {}): Auth {
  return {
    user: (c) => c.req.header("x-user") ?? null,
    can: options.mayOverride
      ? ({ user, permission }) => {
          if (["view", "start", "complete"].includes(permission)) return true;
          return user !== null && options.mayOverride!.includes(user);
        }
      : undefined,
  };
}

/** The web app as the demo wires it (examples/serve.ts): the demo's sign-in by user name. */
export function demoApp(
  joeflow: Joeflow,
  options: Omit<WebAppOptions, "joeflow" | "auth">,
  auth: DemoAuthOptions = {},
): Hono {
  const signIn = demoAuth({ secret: "test-secret", ...auth });
  return createWebApp({
    joeflow,
    auth: signIn.auth,
    signInUrl: signIn.signInUrl,
    signOutUrl: signIn.signOutUrl,
    extend: (app) => signIn.routes(app, createTemplates(options.templates), createUrls(options.basePath)),
    ...options,
  });
}

/** The workflow id in a redirect to its page: `/shipping/{id}/` → `{id}`. */
export function workflowIdOf(location: string | null, workflow: string): string {
  const match = new RegExp(`^/${workflow}/([0-9a-f-]{36})/(?:\\?done=[^&]+(?:&task=\\w+)?)?$`).exec(location ?? "");
  if (!match) throw new Error(`Not a ${workflow} page: ${location}`);
  return match[1]!;
}

export async function openTask(joeflow: Joeflow, workflowId: string, name: string): Promise<TaskView> {
  const task = (await joeflow.get(workflowId)).tasks.find((t) => t.name === name && t.status === "scheduled");
  if (!task) throw new Error(`No open ${name} task in ${workflowId}`);
  return task;
}

/** Text of HTML as a browser shows it: entities decoded. */
export function unescapeHtml(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

/** The target of the first link with this rel or text. */
export function linkHref(html: string, by: { rel?: string; text?: string }): string | undefined {
  for (const match of html.matchAll(/<a\s([^>]*)>([\s\S]*?)<\/a>/g)) {
    const attributes = match[1]!;
    const href = /href="([^"]*)"/.exec(attributes)?.[1];
    if (by.rel && new RegExp(`rel="${by.rel}"`).test(attributes)) return href && unescapeHtml(href);
    if (by.text && match[2]!.includes(by.text)) return href && unescapeHtml(href);
  }
  return undefined;
}

/** The task table's row of this task: `<tr id="task-{id}" class="task-{status}">…</tr>`. */
export function taskRow(html: string, taskId: string): string | undefined {
  return new RegExp(`<tr id="task-${taskId}"[\\s\\S]*?</tr>`).exec(html)?.[0];
}

/** One form field's block: `<div class="field …">…</div>` of the input named `name`. */
export function fieldBlock(html: string, name: string): string | undefined {
  return new RegExp(
    `<div class="field [^"]*">(?:(?!<div class="field )[\\s\\S])*?id="field-${name}"[\\s\\S]*?</div>`,
  ).exec(html)?.[0];
}

/** A section of the workflow page by its heading id: "graph-h", "state-h", "tasks-h", "failed-h", "history-h". */
export function section(html: string, headingId: string): string {
  return new RegExp(`<section aria-labelledby="${headingId}">[\\s\\S]*?</section>`).exec(html)?.[0] ?? "";
}
