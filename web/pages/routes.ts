/** The pages' routes: index, inbox, start forms, task forms, workflow pages, overrides and message buttons. */
import type { Context, Hono } from "hono";
import {
  isStartKind,
  JoeflowError,
  MESSAGE_INFO,
  MESSAGE_NAMES,
  type MessageName,
  offerOf,
  type TaskSummary,
  UnknownTask,
  UnknownWorkflow,
  type WorkflowView,
} from "joeflow";
import { customTaskView } from "../custom.ts";
import type { WebWorkflow } from "../deps.ts";
import { groupsOf } from "../auth.ts";
import { safeNext } from "../demo-auth.ts";
import { notAllowed, notFound, statusOf, WebError } from "../errors.ts";
import { formBody } from "../forms/mod.ts";
import { isId } from "../urls.ts";
import type { PageKit } from "./common.ts";
import { asksFirst, confirmPage } from "./confirm.ts";
import { detailPage } from "./detail.ts";
import { flashQuery } from "./flash.ts";
import { guard } from "./guard.ts";
import { startView, taskView } from "./human.ts";
import { inboxPage } from "./inbox.ts";
import { indexPage } from "./lists.ts";
import { acceptTaskLink, carriesLink } from "./links.ts";
import { overridePage } from "./override.ts";
import { reassignPage } from "./reassign.ts";
import { duePage } from "./due.ts";

export function pageRoutes(app: Hono, kit: PageKit): void {
  app.get("/", (c) => indexPage(kit, c));
  app.get("/inbox", (c) => inboxPage(kit, c));
  app.on(["GET", "POST"], "/:name/:second/", async (c) => {
    const web = served(kit, c.req.param("name"));
    const second = c.req.param("second");
    if (isId(second)) {
      if (c.req.method === "POST" || !web.detailView) throw notFound("This workflow has no such page.");
      return await detailPage(kit, c, web, await instanceOf(kit, web, second));
    }
    const task = web.definition.graph.tasks[second];
    if (task?.type !== "human" || !isStartKind(task)) {
      throw notFound(`"${second}" is not a start form of this workflow.`);
    }
    const user = await guard(kit, c, "start", web.definition.name);
    const custom = kit.views[`${web.definition.name}:${second}`];
    if (custom) {
      return await customTaskView(custom, c, {
        joeflow: kit.deps.joeflow,
        workflow: web.definition,
        taskName: second,
        user,
        urls: kit.urls,
      });
    }
    return await startView(kit, c, web.definition, second, task);
  });
  app.all("/:name/:task/:taskId/", async (c) => {
    const web = served(kit, c.req.param("name"));
    const task = await openHumanTask(kit, web, c.req.param("task"), c.req.param("taskId"));
    if (carriesLink(c)) await acceptTaskLink(c, kit.linkSecret, task, web.definition.name);
    const user = await kit.deps.auth.user(c);
    mayWorkOn(task, user, await groupsOf(kit.deps.auth, user));
    // The form shows the instance: who may not view it may not complete its tasks here either.
    await guard(kit, c, "view", web.definition.name, task.workflowId);
    await guard(kit, c, "complete", web.definition.name, task.workflowId);
    const custom = kit.views[`${web.definition.name}:${task.name}`];
    if (custom) {
      const instance = await kit.deps.joeflow.get(task.workflowId);
      return await customTaskView(custom, c, {
        joeflow: kit.deps.joeflow,
        workflow: web.definition,
        taskName: task.name,
        user,
        urls: kit.urls,
        task,
        instance,
      });
    }
    if (!["GET", "HEAD", "POST"].includes(c.req.method)) {
      throw new WebError(405, "MethodNotAllowed", "Method not allowed", { headers: { allow: "GET, POST" } });
    }
    return await taskView(kit, c, web.definition, task);
  });
  app.on(["GET", "POST"], "/:name/:id/override", async (c) => {
    const web = kit.deps.workflows.get(c.req.param("name"));
    if (!web?.overrideView) throw notFound("This workflow has no override page.");
    return await overridePage(kit, c, web, await instanceOf(kit, web, c.req.param("id")));
  });
  app.on(["GET", "POST"], "/:name/:id/tasks/:taskId/reassign", async (c) => {
    const web = served(kit, c.req.param("name"));
    return await reassignPage(kit, c, await instanceOf(kit, web, c.req.param("id")), c.req.param("taskId"));
  });
  app.on(["GET", "POST"], "/:name/:id/tasks/:taskId/due", async (c) => {
    const web = served(kit, c.req.param("name"));
    return await duePage(kit, c, await instanceOf(kit, web, c.req.param("id")), c.req.param("taskId"));
  });
  for (const name of MESSAGE_NAMES) buttonRoute(app, kit, name);
}

/** Who may open a task's form: whoever it is offered to (a group's member, to claim it), not others. */
function mayWorkOn(task: TaskSummary, user: string | null, groups: readonly string[]): void {
  if (task.claimedBy !== null && task.claimedBy !== user) {
    throw notAllowed(user, `This task is claimed by ${task.claimedBy}.`);
  }
  if (task.claimedBy === null && offerOf(task, user, groups) === "none") {
    throw notAllowed(user, "This task is assigned to someone else.");
  }
}

/**
 * A message without a form, as a POST from a button on the workflow page (or a task form: `_back`), then
 * back to that page with a message saying what happened. A destructive one's button is a link to a GET
 * of the same address, a page that asks first (confirm.ts).
 */
function buttonRoute<K extends MessageName>(app: Hono, kit: PageKit, name: K): void {
  const message = MESSAGE_INFO[name];
  if (!message.route.button) return;
  const path =
    message.target === "task" ? `/:name/:id/tasks/:taskId/${message.route.verb}` : `/:name/:id/${message.route.verb}`;
  /** The instance and task of the address, once the user may view it and send this message. */
  const targetOf = async (c: Context, requestedBack: unknown) => {
    const web = served(kit, c.req.param("name") ?? "");
    const instance = await instanceOf(kit, web, c.req.param("id") ?? "");
    const user = await guard(kit, c, "view", instance.name, instance.id);
    const back =
      typeof requestedBack === "string" ? safeNext(requestedBack) : kit.urls.detail(instance.name, instance.id);
    const taskId = c.req.param("taskId") ?? "";
    const task = instance.tasks.find((t) => t.id === taskId);
    if (message.target === "task" && !task) throw notFound("No such task in this workflow.", back);
    const asOwner = message.target === "task" && task !== undefined && message.ownTask?.(task, user) === true;
    if (!asOwner) await guard(kit, c, message.permission, instance.name, instance.id);
    return { instance, task, taskId, user, back, asOwner, groups: await groupsOf(kit.deps.auth, user) };
  };
  if (asksFirst(name)) {
    app.get(path, async (c: Context) => {
      const { instance, task, user, back, groups } = await targetOf(c, undefined);
      // A task that cannot take the message any more is said so now, not after the confirmation.
      if (message.target === "task" && task) {
        try {
          message.precheck(task, user, groups);
        } catch (error) {
          throw refusal(error, back);
        }
      }
      return await confirmPage(kit, c, name, { instance, task, action: new URL(c.req.url).pathname, back });
    });
  }
  app.post(path, async (c: Context) => {
    // The CSRF token, and where to go after (a page of this site; the workflow page by default).
    const body = await formBody(c);
    const { instance, task, taskId, user, back, groups, asOwner } = await targetOf(c, body._back);
    const target = task ? { ...task, workflowName: instance.name } : instance;
    const request = { taskId, user, groups, asOwner };
    await kit.deps.joeflow.send(name, target, message.route.args({}, request)).catch((error: unknown) => {
      throw refusal(error, back);
    });
    return c.redirect(withQuery(back, flashQuery(name, task?.name)), 303);
  });
}

/** A message refused for the task's or instance's state (409): said on a page with a way back. */
function refusal(error: unknown, back: string): unknown {
  return error instanceof JoeflowError && statusOf(error) === 409
    ? new WebError(409, error.code, error.message, { back })
    : error;
}

function served(kit: PageKit, name: string): WebWorkflow {
  const web = kit.deps.workflows.get(name);
  if (!web) throw notFound("There is no such workflow.");
  return web;
}

async function instanceOf(kit: PageKit, web: WebWorkflow, id: string): Promise<WorkflowView> {
  if (!isId(id)) throw notFound("That is not a workflow id.");
  const instance = await kit.deps.joeflow.get(id).catch((error: unknown) => {
    if (error instanceof UnknownWorkflow) return undefined;
    throw error;
  });
  if (!instance || instance.name !== web.definition.name) throw notFound("There is no such workflow instance.");
  return instance;
}

/** The open human task behind a task URL, read once; a readable 404 when there is none. */
async function openHumanTask(kit: PageKit, web: WebWorkflow, taskName: string, taskId: string): Promise<TaskSummary> {
  if (!isId(taskId)) throw notFound("That is not a task id.");
  const task = await kit.deps.joeflow.getTask(taskId).catch((error: unknown) => {
    if (error instanceof UnknownTask) return undefined;
    throw error;
  });
  if (!task || task.name !== taskName || task.workflowName !== web.definition.name)
    throw notFound("There is no such task.");
  if (task.status !== "scheduled") {
    throw notFound(`This task is closed: it is ${task.status}.`, kit.urls.detail(web.definition.name, task.workflowId));
  }
  if (web.definition.graph.tasks[taskName]?.type !== "human") throw notFound("This is not a human task.");
  return task;
}

/** `?done=...` after a page's address, which may have its own query already. */
function withQuery(url: string, query: string): string {
  return url.includes("?") ? `${url}&${query.slice(1)}` : url + query;
}
