/**
 * URLs by name, as joeflow's `reverse("shipping:ship", task)`: a start view is `/{name}/{task}/`,
 * any other human task `/{name}/{task}/{taskId}/`, the workflow page `/{name}/{id}/`, the override
 * page `/{name}/{id}/override`. Ids and task names never collide: task names are identifiers,
 * ids are UUIDs.
 */
export interface Urls {
  reverse(route: string, target?: string | { readonly id: string }): string;
  start(workflow: string, task: string): string;
  task(workflow: string, task: string, taskId: string): string;
  detail(workflow: string, workflowId: string): string;
  override(workflow: string, workflowId: string): string;
  rerun(workflow: string, workflowId: string, taskId: string): string;
  cancelTask(workflow: string, workflowId: string, taskId: string): string;
  cancelWorkflow(workflow: string, workflowId: string): string;
  /** A task's message button or form: claim, release, reassign. */
  taskAction(workflow: string, workflowId: string, taskId: string, verb: string): string;
  index(query?: Record<string, string | undefined>): string;
  inbox(query?: Record<string, string | undefined>): string;
  asset(file: string): string;
  /** The event streams of live pages: a workflow page's, the inbox's. */
  detailEvents(workflow: string, workflowId: string): string;
  inboxEvents(): string;
}

export function createUrls(basePath = ""): Urls {
  const base = basePath.replace(/\/+$/, "");
  const path = (...parts: string[]) => `${base}/${parts.map(encodeURIComponent).join("/")}`;
  const urls: Urls = {
    start: (workflow, task) => `${path(workflow, task)}/`,
    task: (workflow, task, taskId) => `${path(workflow, task, taskId)}/`,
    detail: (workflow, workflowId) => `${path(workflow, workflowId)}/`,
    override: (workflow, workflowId) => path(workflow, workflowId, "override"),
    rerun: (workflow, workflowId, taskId) => path(workflow, workflowId, "tasks", taskId, "rerun"),
    cancelTask: (workflow, workflowId, taskId) => path(workflow, workflowId, "tasks", taskId, "cancel"),
    cancelWorkflow: (workflow, workflowId) => path(workflow, workflowId, "cancel"),
    taskAction: (workflow, workflowId, taskId, verb) => path(workflow, workflowId, "tasks", taskId, verb),
    index: (query = {}) => `${base}/${queryString(query)}`,
    inbox: (query = {}) => `${base}/inbox${queryString(query)}`,
    asset: (file) => `${base}/static/${encodeURIComponent(file)}`,
    detailEvents: (workflow, workflowId) => path(workflow, workflowId, "events"),
    inboxEvents: () => `${base}/inbox/events`,
    reverse(route, target) {
      const [workflow, view] = route.split(":");
      if (!workflow || !view) throw new TypeError(`Not a route: "${route}" (use "workflow:view")`);
      const id = typeof target === "string" ? target : target?.id;
      if (view === "detail") return urls.detail(workflow, required(route, id));
      if (view === "override") return urls.override(workflow, required(route, id));
      return id === undefined ? urls.start(workflow, view) : urls.task(workflow, view, id);
    },
  };
  return urls;
}

function required(route: string, id: string | undefined): string {
  if (id === undefined) throw new TypeError(`Route "${route}" needs an id`);
  return id;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a URL segment is an id (instance and task ids are UUIDs), not a task name. */
export function isId(segment: string): boolean {
  return ID.test(segment);
}

/** "?a=1&b=2" of the parameters that have a value; "" when none has. */
function queryString(query: Record<string, string | undefined>): string {
  const search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
  return search ? `?${search}` : "";
}
