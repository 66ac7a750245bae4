import type { Context } from "hono";
import { InvalidData, isStartKind } from "joeflow";
import { allowed, type Permission } from "../auth.ts";
import { labelOf, page, type PageKit } from "./common.ts";
import { guard } from "./guard.ts";

const STATUSES = new Set(["running", "done", "canceled"]);

/**
 * The front page: the workflows the user may see, with start buttons for those they may start, and
 * the instances they may see, newest first. As the API's lists, a page leaves out what the auth hook
 * hides (so it may hold fewer than 25); the cursor still walks the whole list.
 */
export async function indexPage(kit: PageKit, c: Context): Promise<Response> {
  const name = c.req.query("name") || undefined;
  const status = c.req.query("status") || undefined;
  const cursor = c.req.query("cursor") || undefined;
  const filter = {
    name: name && kit.deps.workflows.has(name) ? name : undefined,
    status: status && STATUSES.has(status) ? status : undefined,
  };
  const user = await guard(kit, c, "view", filter.name ?? "*");
  const may = permissions(kit, user);
  const query = { ...filter, status: filter.status as "running" | undefined, limit: 25 };
  // A stale or mangled cursor in a link shows the first page rather than an error.
  const list = await kit.deps.joeflow.list({ ...query, cursor }).catch((error: unknown) => {
    if (error instanceof InvalidData) return kit.deps.joeflow.list(query);
    throw error;
  });
  const workflows = [];
  for (const { definition } of kit.deps.workflows.values()) {
    if (!(await may("view", definition.name))) continue;
    const mayStart = await may("start", definition.name);
    workflows.push({
      name: definition.name,
      label: labelOf(definition.name),
      starts: Object.entries(definition.graph.tasks)
        .filter(([, task]) => mayStart && isStartKind(task) && task.type === "human")
        .map(([task]) => ({ label: labelOf(task), url: kit.urls.start(definition.name, task) })),
    });
  }
  const instances = [];
  for (const w of list.items) {
    if (!(await may("view", w.name, w.id))) continue;
    const url = kit.deps.workflows.get(w.name)?.detailView === false ? undefined : kit.urls.detail(w.name, w.id);
    instances.push({ ...w, url });
  }
  return await page(kit, c, ["index"], {
    title: "Workflows",
    workflows,
    instances,
    filter,
    nextUrl: list.nextCursor ? kit.urls.index({ ...filter, cursor: list.nextCursor }) : undefined,
  });
}

/**
 * Whether the user may do this with a workflow (or one instance of it), asked of the auth hook once
 * per request and question; never for a workflow this app does not serve.
 */
function permissions(
  kit: PageKit,
  user: string | null,
): (permission: Permission, workflow: string, workflowId?: string) => Promise<boolean> {
  const answers = new Map<string, Promise<boolean>>();
  return (permission, workflow, workflowId) => {
    const key = JSON.stringify([permission, workflow, workflowId]);
    let answer = answers.get(key);
    if (!answer) {
      answer = kit.deps.workflows.has(workflow)
        ? allowed(kit.deps.auth, { user, permission, workflow, workflowId })
        : Promise.resolve(false);
      answers.set(key, answer);
    }
    return answer;
  };
}
