/**
 * Every message as a route, from the registry: `POST /tasks/{taskId}/{verb}` for a task's messages
 * (complete, rerun, cancel), `POST /{name}/{id}/{verb}` for an instance's (override, cancel). Each
 * checks the permission its message names and the message's own precheck before reading the body.
 */
import type { Context, Hono } from "hono";
import {
  MESSAGE_INFO,
  MESSAGE_NAMES,
  type MessageInfo,
  type MessageName,
  type MessageRequest,
  type MessageResult,
} from "joeflow";
import { notFound } from "../errors.ts";
import { groupsOf } from "../auth.ts";
import { permit, servedInstance, servedTask, servedWorkflow } from "./access.ts";
import { readJson } from "./request.ts";
import { type ApiKit, endpoint, pathParam } from "./routing.ts";

/** What every action answers: the instance, the task it made or touched, and the instance's status after. */
export interface ActionResult {
  readonly workflowId: string;
  readonly taskId: string | null;
  readonly workflowStatus: MessageResult["status"];
}

export function taskMessageRoutes(app: Hono, kit: ApiKit): void {
  for (const name of MESSAGE_NAMES) {
    const message = MESSAGE_INFO[name];
    if (message.target !== "task") continue;
    endpoint(app, `/tasks/:taskId/${message.route.verb}`, {
      async POST(c) {
        const task = await servedTask(kit.deps, pathParam(c, "taskId"));
        // Nobody acts on what they may not see: viewing comes first, then the message's own permission.
        const user = await permit(kit.deps, c, "view", task.workflowName, task.workflowId);
        // The task's claimer or assignee delegating it needs no permission beyond viewing it.
        const asOwner = message.ownTask?.(task, user) === true;
        if (!asOwner) await permit(kit.deps, c, message.permission, task.workflowName, task.workflowId);
        const groups = await groupsOf(kit.deps.auth, user);
        message.precheck(task, user, groups);
        const request = { taskId: task.id, user, groups, asOwner, workflowId: task.workflowId };
        return await sendFromBody(c, kit, name, message, task, request);
      },
    });
  }
}

export function instanceMessageRoutes(app: Hono, kit: ApiKit): void {
  for (const name of MESSAGE_NAMES) {
    const message = MESSAGE_INFO[name];
    if (message.target !== "instance") continue;
    endpoint(app, `/:name/:id/${message.route.verb}`, {
      async POST(c) {
        const web = servedWorkflow(kit.deps, pathParam(c, "name"));
        if (name === "override" && !web.overrideView) {
          throw notFound(`Workflow "${web.definition.name}" takes no overrides.`);
        }
        const instance = await servedInstance(kit.deps, web, pathParam(c, "id"));
        await permit(kit.deps, c, "view", instance.name, instance.id);
        const user = await permit(kit.deps, c, message.permission, instance.name, instance.id);
        const request = { taskId: "", user, groups: await groupsOf(kit.deps.auth, user), workflowId: instance.id };
        return await sendFromBody(c, kit, name, message, instance, request);
      },
    });
  }
}

async function sendFromBody<K extends MessageName>(
  c: Context,
  kit: ApiKit,
  name: K,
  message: MessageInfo<K>,
  target: Parameters<ApiKit["deps"]["joeflow"]["send"]>[1],
  request: MessageRequest & { workflowId: string },
): Promise<Response> {
  const body = await readJson(c, message.route.body);
  const args = message.route.args(body, request);
  const result = await kit.deps.joeflow.send(name, target, args).catch((error: unknown) => {
    throw message.route.bodyError ? message.route.bodyError(error, body) : error;
  });
  const answer: ActionResult = { workflowId: request.workflowId, taskId: result.taskId, workflowStatus: result.status };
  return c.json(answer);
}
