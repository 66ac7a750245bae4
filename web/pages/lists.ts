import type { Context } from "hono";
import { InvalidData, isStartKind } from "joeflow";
import { currentUser, labelOf, page, type PageKit } from "./common.ts";
import { guard } from "./guard.ts";

const STATUSES = new Set(["running", "done", "canceled"]);

/** The front page: what can be started, and the instances, newest first. */
export async function indexPage(kit: PageKit, c: Context): Promise<Response> {
  const name = c.req.query("name") || undefined;
  const status = c.req.query("status") || undefined;
  const cursor = c.req.query("cursor") || undefined;
  const filter = {
    name: name && kit.deps.workflows.has(name) ? name : undefined,
    status: status && STATUSES.has(status) ? status : undefined,
  };
  await guard(kit, c, "view", filter.name ?? "*");
  const query = { ...filter, status: filter.status as "running" | undefined, limit: 25 };
  // A stale or mangled cursor in a link shows the first page rather than an error.
  const list = await kit.deps.joeflow.list({ ...query, cursor }).catch((error: unknown) => {
    if (error instanceof InvalidData) return kit.deps.joeflow.list(query);
    throw error;
  });
  const workflows = [...kit.deps.workflows.values()].map(({ definition }) => ({
    name: definition.name,
    label: labelOf(definition.name),
    starts: Object.entries(definition.graph.tasks)
      .filter(([, task]) => isStartKind(task) && task.type === "human")
      .map(([task]) => ({ label: labelOf(task), url: kit.urls.start(definition.name, task) })),
  }));
  const instances = list.items.map((w) => ({
    ...w,
    url: kit.deps.workflows.get(w.name)?.detailView === false ? undefined : kit.urls.detail(w.name, w.id),
  }));
  return await page(kit, c, ["index"], {
    title: "Workflows",
    workflows,
    instances,
    filter,
    nextUrl: list.nextCursor ? kit.urls.index({ ...filter, cursor: list.nextCursor }) : undefined,
  });
}

/** The open human tasks the current user may do: assigned to them first, then unassigned. */
export async function inboxPage(kit: PageKit, c: Context): Promise<Response> {
  const user = await currentUser(kit, c);
  const open = { status: "scheduled" as const, type: "human" as const, limit: 100 };
  const assigned = user ? (await kit.deps.joeflow.listTasks({ ...open, assignee: user })).items : [];
  const unassigned = (await kit.deps.joeflow.listTasks({ ...open, unassigned: true })).items;
  const entry = (t: (typeof unassigned)[number]) => ({
    ...t,
    label: labelOf(t.name),
    url: kit.urls.task(t.workflowName, t.name, t.id),
    detailUrl:
      kit.deps.workflows.get(t.workflowName)?.detailView === false
        ? undefined
        : kit.urls.detail(t.workflowName, t.workflowId),
  });
  const served = (t: { workflowName: string }) => kit.deps.workflows.has(t.workflowName);
  return await page(kit, c, ["inbox"], {
    title: "Inbox",
    assigned: assigned.filter(served).map(entry),
    unassigned: unassigned.filter(served).map(entry),
  });
}
