/**
 * The web app: human task forms, workflow pages, overrides, an index and an inbox, and a JSON API,
 * as one Hono app. Serve it with web/node.ts or web/deno.ts, or mount it in your own app.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AnyWorkflow, Joeflow } from "joeflow";
import { apiRoutes } from "./api/mod.ts";
import type { Auth } from "./auth.ts";
import type { CustomTaskViews } from "./custom.ts";
import type { WebDeps, WebWorkflow } from "./deps.ts";
import { notFound, problemOf, WebError } from "./errors.ts";
import { createLiveHub, type LiveOptions, liveRoutes } from "./live/mod.ts";
import { errorPage, type PageKit } from "./pages/common.ts";
import { pageRoutes } from "./pages/routes.ts";
import { csrf } from "./security/csrf.ts";
import { securityHeaders } from "./security/headers.ts";
import { staticRoutes } from "./static.ts";
import { createTemplates } from "./templates.ts";
import { createUrls } from "./urls.ts";

export interface WebAppOptions {
  readonly joeflow: Joeflow;
  /** The workflows to serve, each with optional page switches. */
  readonly workflows: readonly (AnyWorkflow | WebWorkflowOptions)[];
  /** Who is asking and what they may do; default: nobody is signed in. */
  readonly auth?: Auth;
  /** Your Eta templates folder: any file there replaces ours of the same name. */
  readonly templates?: string;
  /** Human tasks served by your own handler, keyed "workflow:task". */
  readonly views?: CustomTaskViews;
  /** Where the app is mounted, for the URLs it makes; default "". */
  readonly basePath?: string;
  readonly temporalUi?: (temporalWorkflowId: string) => string;
  /** Extra routes on the same app before ours, e.g. a sign-in page: they get the CSRF token too. */
  readonly extend?: (app: Hono) => void;
  readonly signInUrl?: string;
  readonly signOutUrl?: string;
  /**
   * Live pages: the workflow page and the inbox update as tasks move (a poller per app reads the
   * database while pages listen; see web/live/). `false`: pages update when reloaded, and no stream
   * is open (serverless hosts that bill by the open request).
   */
  readonly live?: LiveOptions | false;
  /**
   * The secret that signs one-click task links (`taskLink` from "joeflow", e.g. in a mail hook): a
   * valid link acts as its user on that one task's form, nowhere else. Without it, links are refused.
   */
  readonly linkSecret?: string;
}

export interface WebWorkflowOptions {
  readonly workflow: AnyWorkflow;
  readonly detailView?: boolean;
  readonly overrideView?: boolean;
}

const NOBODY: Auth = { user: () => null };
/** The largest body any route reads. */
const MAX_BODY_BYTES = 1024 * 1024;

export function createWebApp(options: WebAppOptions): Hono {
  const urls = createUrls(options.basePath);
  const deps: WebDeps = {
    joeflow: options.joeflow,
    workflows: servedWorkflows(options.workflows),
    auth: oncePerRequest(options.auth ?? NOBODY),
    temporalUi: options.temporalUi,
  };
  const kit: PageKit = {
    deps,
    templates: createTemplates(options.templates),
    urls,
    views: options.views ?? {},
    signInUrl: options.signInUrl ?? deps.auth.signInUrl,
    signOutUrl: options.signOutUrl,
    live: options.live === false ? undefined : createLiveHub(options.joeflow, options.live),
    linkSecret: options.linkSecret,
  };
  const apiBase = `${urls.index()}api`;
  const isApi = (c: Context) => {
    const path = new URL(c.req.url).pathname;
    return path === apiBase || path.startsWith(`${apiBase}/`);
  };
  const app = new Hono();
  // First, so that every response gets them, errors too (onError answers inside this middleware).
  app.use("*", securityHeaders());
  // Every route reads at most this much: a larger body is refused before anything reaches Temporal.
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new WebError(413, "PayloadTooLarge", `The body may have at most ${MAX_BODY_BYTES} bytes.`);
      },
    }),
  );
  app.use("*", csrf({ exempt: isApi }));
  staticRoutes(app);
  app.route("/api", apiRoutes(deps, urls));
  options.extend?.(app);
  if (kit.live) liveRoutes(app, kit, kit.live);
  pageRoutes(app, kit);
  app.notFound(() => {
    throw notFound("There is no page at this address.");
  });
  app.onError(async (error, c) => {
    const problem = problemOf(error);
    if (problem.status === 500) console.error(error);
    if (isApi(c)) {
      const issues = problem.issues ? { issues: problem.issues } : {};
      return c.json({ error: { code: problem.code, message: problem.message, ...issues } }, problem.status, {
        ...problem.headers,
      });
    }
    if (problem.code === "SignInRequired" && kit.signInUrl) {
      return c.redirect(`${kit.signInUrl}?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
    }
    return await errorPage(kit, c, problem);
  });
  return app;
}

function servedWorkflows(workflows: WebAppOptions["workflows"]): Map<string, WebWorkflow> {
  return new Map(
    workflows.map((w) => {
      const web =
        "workflow" in w
          ? { definition: w.workflow, detailView: w.detailView ?? true, overrideView: w.overrideView ?? true }
          : { definition: w, detailView: true, overrideView: true };
      return [web.definition.name, web];
    }),
  );
}

/**
 * Asks the hook who the user is once per request: pages ask several times (route, guard, form), and
 * a real hook may verify a signature or query a session store each time.
 */
function oncePerRequest(auth: Auth): Auth {
  const users = new WeakMap<Request, Promise<string | null>>();
  return {
    user(c) {
      // A valid task link on this very request speaks for its user (pages/links.ts), and only here.
      const linked = c.get("linkUser");
      if (linked !== undefined) return linked;
      let user = users.get(c.req.raw);
      if (!user) {
        user = Promise.resolve(auth.user(c));
        users.set(c.req.raw, user);
      }
      return user;
    },
    can: auth.can && ((question) => auth.can!(question)),
    groups: auth.groups && ((user) => auth.groups!(user)),
    directory: auth.directory && (() => auth.directory!()),
    signInUrl: auth.signInUrl,
  };
}

export { createUrls } from "./urls.ts";
export type { Urls } from "./urls.ts";
export type { Auth, DirectoryUser, Permission, PermissionQuestion } from "./auth.ts";
export type { CustomTaskContext, CustomTaskView, CustomTaskViews } from "./custom.ts";
export type { ErrorBody, ErrorBodyCode, WebErrorCode } from "./errors.ts";
export type { LiveOptions } from "./live/mod.ts";
export { WebError } from "./errors.ts";
