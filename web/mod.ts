/**
 * The web app: human task forms, workflow pages, overrides, an index and an inbox, and a JSON API,
 * as one Hono app. Serve it with web/node.ts or web/deno.ts, or mount it in your own app.
 */
import { readFileSync } from "node:fs";
import { type Context, Hono } from "hono";
import type { AnyWorkflow, Joeflow, TaskSummary, WorkflowView } from "joeflow";
import { UUID_PATTERN } from "../src/ids.ts";
import { isStartKind } from "../src/graph/types.ts";
import type { Auth } from "./auth.ts";
import type { WebDeps, WebWorkflow } from "./deps.ts";
import { isJoeflowError, statusOf } from "./errors.ts";
import { errorPage, type PageKit } from "./pages/common.ts";
import { action, detailPage } from "./pages/detail.ts";
import { guard, deny } from "./pages/guard.ts";
import { startView, taskView } from "./pages/human.ts";
import { inboxPage, indexPage } from "./pages/lists.ts";
import { overridePage } from "./pages/override.ts";
import { csrf } from "./security/csrf.ts";
import { createTemplates } from "./templates.ts";
import { createUrls } from "./urls.ts";
import { customTaskView, type CustomTaskViews } from "./custom.ts";
import { apiRoutes } from "./api/mod.ts";

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
}

export interface WebWorkflowOptions {
  readonly workflow: AnyWorkflow;
  readonly detailView?: boolean;
  readonly overrideView?: boolean;
}

const NOBODY: Auth = { user: () => null };
const CSS = readFileSync(new URL("./static/joeflow.css", import.meta.url), "utf8");

export function createWebApp(options: WebAppOptions): Hono {
  const workflows = new Map<string, WebWorkflow>(options.workflows.map((w) => {
    const web = "workflow" in w
      ? { definition: w.workflow, detailView: w.detailView ?? true, overrideView: w.overrideView ?? true }
      : { definition: w, detailView: true, overrideView: true };
    return [web.definition.name, web];
  }));
  const deps: WebDeps = { joeflow: options.joeflow, workflows, auth: oncePerRequest(options.auth ?? NOBODY), temporalUi: options.temporalUi };
  const urls = createUrls(options.basePath);
  const kit: PageKit = { deps, templates: createTemplates(options.templates), urls, signInUrl: options.signInUrl, signOutUrl: options.signOutUrl };
  const app = new Hono();
  app.use("*", csrf({ exempt: (c) => new URL(c.req.url).pathname.startsWith(`${options.basePath ?? ""}/api/`) }));
  app.get("/static/joeflow.css", (c) => c.body(CSS, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=3600" }));
  app.route("/api", apiRoutes(deps, urls));
  options.extend?.(app);
  app.get("/", (c) => indexPage(kit, c));
  app.get("/inbox", (c) => inboxPage(kit, c));
  app.on(["GET", "POST"], "/:name/:second/", async (c) => {
    const web = workflows.get(c.req.param("name"));
    if (!web) return await errorPage(kit, c, 404, "There is no such workflow.");
    const second = c.req.param("second");
    if (UUID_PATTERN.test(second)) {
      if (c.req.method === "POST" || !web.detailView) return await errorPage(kit, c, 404, "This workflow has no such page.");
      return await withInstance(kit, c, web, second, (instance) => detailPage(kit, c, web, instance));
    }
    const task = web.definition.graph.tasks[second];
    if (!task || task.type !== "human" || !isStartKind(task)) return await errorPage(kit, c, 404, `"${second}" is not a start form of this workflow.`);
    const { denied } = await guard(kit, c, "start", web.definition.name);
    if (denied) return denied;
    const custom = options.views?.[`${web.definition.name}:${second}`];
    if (custom) return await customTaskView(custom, c, { joeflow: deps.joeflow, workflow: web.definition, taskName: second, user: await deps.auth.user(c), urls });
    return await startView(kit, c, web.definition, second, task);
  });
  app.all("/:name/:task/:taskId/", async (c) => {
    const web = workflows.get(c.req.param("name"));
    if (!web) return await errorPage(kit, c, 404, "There is no such workflow.");
    const found = await openHumanTask(deps, web, c.req.param("task"), c.req.param("taskId"));
    if ("problem" in found) return await errorPage(kit, c, 404, found.problem, found.workflowId && kit.urls.detail(web.definition.name, found.workflowId));
    const user = await deps.auth.user(c);
    if (found.task.assignees.length && !found.task.assignees.includes(user ?? "")) {
      return await deny(kit, c, user, "This task is assigned to someone else.");
    }
    const { denied } = await guard(kit, c, "complete", web.definition.name, found.task.workflowId);
    if (denied) return denied;
    const custom = options.views?.[`${web.definition.name}:${found.task.name}`];
    if (custom) {
      const instance = await deps.joeflow.get(found.task.workflowId);
      return await customTaskView(custom, c, { joeflow: deps.joeflow, workflow: web.definition, taskName: found.task.name, user, urls, task: found.task, instance });
    }
    if (!["GET", "HEAD", "POST"].includes(c.req.method)) return c.text("Method not allowed", 405);
    const compiled = web.definition.graph.tasks[found.task.name]!;
    if (compiled.type !== "human") return await errorPage(kit, c, 404, "This is not a form.");
    return await taskView(kit, c, web.definition, found.task.name, compiled, { task: found.task, workflowId: found.task.workflowId });
  });
  app.on(["GET", "POST"], "/:name/:id/override", async (c) => {
    const web = workflows.get(c.req.param("name"));
    if (!web?.overrideView) return await errorPage(kit, c, 404, "This workflow has no override page.");
    return await withInstance(kit, c, web, c.req.param("id"), (instance) => overridePage(kit, c, web, instance));
  });
  app.post("/:name/:id/cancel", async (c) => {
    const web = workflows.get(c.req.param("name"));
    if (!web) return await errorPage(kit, c, 404, "There is no such workflow.");
    return await withInstance(kit, c, web, c.req.param("id"), (instance) => action(kit, c, instance, "cancelWorkflow"));
  });
  app.post("/:name/:id/tasks/:taskId/:verb{rerun|cancel}", async (c) => {
    const web = workflows.get(c.req.param("name"));
    if (!web) return await errorPage(kit, c, 404, "There is no such workflow.");
    const verb = c.req.param("verb") === "rerun" ? "rerun" : "cancelTask";
    return await withInstance(kit, c, web, c.req.param("id"), (instance) => action(kit, c, instance, verb, c.req.param("taskId")));
  });
  app.notFound((c) => errorPage(kit, c, 404, "There is no page at this address."));
  app.onError((error, c) => {
    if (isJoeflowError(error)) return errorPage(kit, c, statusOf(error), error.message);
    console.error(error);
    return c.text("Internal server error", 500);
  });
  return app;
}

/**
 * Asks the hook who the user is once per request: pages ask several times (route, guard, form), and
 * a real hook may verify a signature or query a session store each time.
 */
function oncePerRequest(auth: Auth): Auth {
  const users = new WeakMap<Request, Promise<string | null>>();
  return {
    user(c) {
      let user = users.get(c.req.raw);
      if (!user) users.set(c.req.raw, user = Promise.resolve(auth.user(c)));
      return user;
    },
    can: auth.can && ((question) => auth.can!(question)),
    directory: auth.directory && (() => auth.directory!()),
    signInUrl: auth.signInUrl,
  };
}

async function withInstance(
  kit: PageKit, c: Context, web: WebWorkflow, id: string, then: (instance: WorkflowView) => Promise<Response>,
): Promise<Response> {
  if (!UUID_PATTERN.test(id)) return await errorPage(kit, c, 404, "That is not a workflow id.");
  const instance = await kit.deps.joeflow.get(id).catch((error: unknown) => {
    if (isJoeflowError(error) && error.code === "UnknownWorkflow") return undefined;
    throw error;
  });
  if (!instance || instance.name !== web.definition.name) return await errorPage(kit, c, 404, "There is no such workflow instance.");
  return await then(instance);
}

/** The open task behind a task URL, or why there is none. */
async function openHumanTask(
  deps: WebDeps, web: WebWorkflow, taskName: string, taskId: string,
): Promise<{ task: TaskSummary } | { problem: string; workflowId?: string }> {
  if (!UUID_PATTERN.test(taskId)) return { problem: "That is not a task id." };
  const task = await deps.joeflow.getTask(taskId).catch((error: unknown) => {
    if (isJoeflowError(error) && error.code === "UnknownTask") return undefined;
    throw error;
  });
  if (!task || task.name !== taskName || task.workflowName !== web.definition.name) return { problem: "There is no such task." };
  if (task.status !== "scheduled") return { problem: `This task is closed: it is ${task.status}.`, workflowId: task.workflowId };
  if (web.definition.graph.tasks[taskName]?.type !== "human") return { problem: "This is not a human task." };
  return { task };
}

export { createUrls } from "./urls.ts";
export type { Urls } from "./urls.ts";
export type { Auth, DirectoryUser, Permission, PermissionQuestion } from "./auth.ts";
export type { CustomTaskContext, CustomTaskView, CustomTaskViews } from "./custom.ts";
