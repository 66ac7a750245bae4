/**
 * The inbox page: open human tasks with a tab per scope (mine, my groups, unassigned, all) and its
 * count, a filter form (workflow, task, search) and pages, all plain links and GET forms.
 */
import type { Context } from "hono";
import { INBOX_SCOPES, InvalidData, type InboxScope, shortId, taskLabel } from "joeflow";
import { readInbox, type InboxFilters } from "../inbox.ts";
import { liveStream } from "../live/mod.ts";
import { currentUser, labelOf, page, type PageKit } from "./common.ts";

const PAGE_SIZE = 50;
const SCOPE_LABELS: Record<InboxScope, string> = {
  mine: "Mine",
  groups: "My groups",
  unassigned: "Unassigned",
  overdue: "Overdue",
  all: "All",
};

export async function inboxPage(kit: PageKit, c: Context): Promise<Response> {
  const user = await currentUser(kit, c);
  const filters = pageFilters(kit, c);
  const cursor = c.req.query("cursor") || undefined;
  // A stale or mangled cursor in a link shows the first page, as the front page does.
  const inbox = await readInbox(kit.deps, user, { ...filters, cursor, limit: PAGE_SIZE }).catch((error: unknown) => {
    if (cursor && error instanceof InvalidData) return readInbox(kit.deps, user, { ...filters, limit: PAGE_SIZE });
    throw error;
  });
  const link = (more: Record<string, string | undefined>) => kit.urls.inbox(query({ ...filters, ...more }));
  const definitionOf = (name: string) => kit.deps.workflows.get(name);
  return await page(kit, c, ["inbox"], {
    title: "Inbox",
    filters,
    scopes: INBOX_SCOPES.map((scope) => ({
      scope,
      label: SCOPE_LABELS[scope],
      count: inbox.counts[scope],
      url: link({ scope }),
      current: scope === filters.scope,
    })),
    workflows: [...kit.deps.workflows.values()].map(({ definition }) => ({
      name: definition.name,
      label: labelOf(definition.name),
    })),
    taskNames: humanTasks(kit, filters.workflow),
    tasks: inbox.items.map((t) => {
      const web = definitionOf(t.workflowName);
      return {
        ...t,
        label: web ? taskLabel(web.definition.graph, t.name) : labelOf(t.name),
        workflowLabel: labelOf(t.workflowName),
        shortId: shortId(t.workflowId),
        url: kit.urls.task(t.workflowName, t.name, t.id),
        detailUrl: web?.detailView === false ? undefined : kit.urls.detail(t.workflowName, t.workflowId),
      };
    }),
    nextUrl: inbox.nextCursor ? link({ cursor: inbox.nextCursor }) : undefined,
    live: await liveStream(kit, c, kit.urls.inboxEvents()),
  });
}

/** The filters of the query string; "all" when no scope is asked for. An unknown scope is InvalidData. */
function pageFilters(kit: PageKit, c: Context): InboxFilters & { scope: InboxScope } {
  const scope = c.req.query("scope") || "all";
  if (!(INBOX_SCOPES as readonly string[]).includes(scope)) {
    throw new InvalidData([{ path: ["scope"], message: `must be one of ${INBOX_SCOPES.join(", ")}` }]);
  }
  const workflow = c.req.query("workflow") || undefined;
  if (workflow !== undefined && !kit.deps.workflows.has(workflow)) {
    throw new InvalidData([{ path: ["workflow"], message: "is not a workflow this app serves" }]);
  }
  const search = c.req.query("search")?.trim() || undefined;
  return { scope: scope as InboxScope, workflow, task: c.req.query("task") || undefined, search };
}

/** The human tasks to filter by: of the chosen workflow, else of every served one (each name once). */
function humanTasks(kit: PageKit, workflow: string | undefined): { name: string; label: string }[] {
  const names = new Map<string, string>();
  for (const { definition } of kit.deps.workflows.values()) {
    if (workflow && definition.name !== workflow) continue;
    for (const [name, task] of Object.entries(definition.graph.tasks)) {
      if (task.kind === "updateView" && !names.has(name)) names.set(name, taskLabel(definition.graph, name));
    }
  }
  return [...names].map(([name, label]) => ({ name, label }));
}

function query(filters: InboxFilters & { cursor?: string }): Record<string, string | undefined> {
  const { scope, workflow, task, search, cursor } = filters;
  return { scope: scope === "all" ? undefined : scope, workflow, task, search, cursor };
}
