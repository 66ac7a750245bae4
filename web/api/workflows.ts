/**
 * Routes of workflows and their instances: the definitions, start, list, get (with the history of
 * state changes), override and cancel.
 */
import type { Context, Hono } from "hono";
import type { AnyWorkflow, MessageResult, WorkflowView } from "joeflow";
import { mayView, permit, servedInstance, servedWorkflow } from "./access.ts";
import { describeWorkflow, startViews, type WorkflowDescription } from "./definitions.ts";
import { invalidField, nextProblem, notFound } from "./errors.ts";
import { emptyBody, instancesQuery, overrideBody, readJson, readQuery, startBody } from "./request.ts";
import { type ApiKit, endpoint, pathParam } from "./routing.ts";

/** What every action answers: the instance, the task it made or touched, and the instance's status after. */
export interface ActionResult {
  readonly workflowId: string;
  readonly taskId: string | null;
  readonly workflowStatus: MessageResult["status"];
}

export function actionResult(workflowId: string, result: MessageResult): ActionResult {
  return { workflowId, taskId: result.taskId, workflowStatus: result.status };
}

export function workflowRoutes(app: Hono, kit: ApiKit): void {
  const { deps } = kit;

  endpoint(app, "/workflows", {
    async GET(c) {
      const user = await deps.auth.user(c);
      const items: WorkflowDescription[] = [];
      for (const web of deps.workflows.values()) {
        if (await mayView(deps, user, web.definition.name)) items.push(describeWorkflow(web));
      }
      return c.json({ items });
    },
  });

  endpoint(app, "/:name/start", {
    async POST(c) {
      const web = servedWorkflow(deps, pathParam(c, "name"));
      const views = startViews(web.definition);
      if (views.length === 0) throw notFound(`Workflow "${web.definition.name}" has no start view: it is started from code.`);
      const user = await permit(deps, c, "start", web.definition.name);
      const body = await readJson(c, startBody);
      const task = chooseStartView(web.definition, views, body.task);
      const { workflowId } = await deps.joeflow.start(web.definition, { task, state: body.state, user });
      const url = kit.paths.instance(web.definition.name, workflowId);
      return c.json({ workflowId, url }, 201, { location: url });
    },
  });

  endpoint(app, "/:name/instances", {
    async GET(c) {
      const web = servedWorkflow(deps, pathParam(c, "name"));
      await permit(deps, c, "view", web.definition.name);
      const query = readQuery(c, instancesQuery);
      return c.json(await deps.joeflow.list({ name: web.definition.name, ...query }));
    },
  });

  endpoint(app, "/:name/:id", {
    async GET(c) {
      const instance = await requestedInstance(kit, c);
      await permit(deps, c, "view", instance.name, instance.id);
      return c.json({ ...instance, history: await deps.joeflow.history(instance.id) });
    },
  });

  endpoint(app, "/:name/:id/override", {
    async POST(c) {
      const web = servedWorkflow(deps, pathParam(c, "name"));
      if (!web.overrideView) throw notFound(`Workflow "${web.definition.name}" takes no overrides.`);
      const instance = await servedInstance(deps, web, pathParam(c, "id"));
      const user = await permit(deps, c, "override", instance.name, instance.id);
      const body = await readJson(c, overrideBody);
      const result = await deps.joeflow.override(instance.id, { state: body.state, next: body.next, user }).catch((error: unknown) => {
        throw nextProblem(error);
      });
      return c.json(actionResult(instance.id, result));
    },
  });

  endpoint(app, "/:name/:id/cancel", {
    async POST(c) {
      const instance = await requestedInstance(kit, c);
      const user = await permit(deps, c, "cancel", instance.name, instance.id);
      await readJson(c, emptyBody);
      return c.json(actionResult(instance.id, await deps.joeflow.cancelWorkflow(instance.id, { user })));
    },
  });
}

async function requestedInstance(kit: ApiKit, c: Context): Promise<WorkflowView> {
  const web = servedWorkflow(kit.deps, pathParam(c, "name"));
  return await servedInstance(kit.deps, web, pathParam(c, "id"));
}

function chooseStartView(definition: AnyWorkflow, views: readonly string[], requested: string | undefined): string {
  if (requested === undefined) {
    if (views.length === 1) return views[0]!;
    throw invalidField("task", `workflow "${definition.name}" has several start views (${views.join(", ")}): pick one`);
  }
  if (!views.includes(requested)) {
    throw invalidField("task", `"${requested}" is not a start view of workflow "${definition.name}" (${views.join(", ")})`);
  }
  return requested;
}
