/**
 * Routes of workflows and their instances: the definitions, start, list and get (with the history of
 * state changes); their messages are in messages.ts.
 */
import type { Context, Hono } from "hono";
import type { AnyWorkflow, WorkflowSummary, WorkflowView } from "joeflow";
import { mayView, permit, servedInstance, servedWorkflow } from "./access.ts";
import { describeWorkflow, startViews, type WorkflowDescription } from "./definitions.ts";
import { InvalidData } from "joeflow";
import { notFound } from "../errors.ts";
import { instancesQuery, readJson, readQuery, startBody } from "./request.ts";
import { type ApiKit, endpoint, pathParam } from "./routing.ts";

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
      if (views.length === 0)
        throw notFound(`Workflow "${web.definition.name}" has no start view: it is started from code.`);
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
      const user = await permit(deps, c, "view", web.definition.name);
      const query = readQuery(c, instancesQuery);
      const page = await deps.joeflow.list({ name: web.definition.name, ...query });
      // Only instances the user may view, as /tasks; the cursor still walks the whole list.
      const items: WorkflowSummary[] = [];
      for (const instance of page.items) {
        if (await mayView(deps, user, instance.name, instance.id)) items.push(instance);
      }
      return c.json({ items, nextCursor: page.nextCursor });
    },
  });

  endpoint(app, "/:name/:id", {
    async GET(c) {
      const instance = await requestedInstance(kit, c);
      await permit(deps, c, "view", instance.name, instance.id);
      const [history, actions] = [await deps.joeflow.history(instance.id), await deps.joeflow.actions(instance.id)];
      return c.json({ ...instance, history, actions });
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
    throw invalidTask(`workflow "${definition.name}" has several start views (${views.join(", ")}): pick one`);
  }
  if (!views.includes(requested)) {
    throw invalidTask(`"${requested}" is not a start view of workflow "${definition.name}" (${views.join(", ")})`);
  }
  return requested;
}

function invalidTask(message: string): InvalidData {
  return new InvalidData([{ path: ["task"], message }]);
}
