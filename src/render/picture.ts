/**
 * What a workflow or instance picture shows, before it is written as DOT or Mermaid: both writers
 * read this one model, so the two always mean the same thing. Plain data, no Node or Deno APIs.
 */
import type { TaskView, WorkflowView } from "../store/views.ts";
import {
  type CompiledGraph,
  type CompiledTask,
  dueRoutes,
  hasTask,
  OVERRIDE_TASK_NAME,
  type Rankdir,
} from "../graph/types.ts";

/** A definition (anything with a compiled `.graph`, e.g. from defineWorkflow) or the compiled graph itself. */
export type GraphSource = CompiledGraph | { readonly graph: CompiledGraph };

/** The instance as `joeflow.get()` returns it; only its tasks are drawn. */
export type InstanceSource = Pick<WorkflowView, "tasks">;

export interface InstanceOptions {
  /**
   * The link of a task's node, e.g. its page while it is open; no link when it returns undefined.
   * Asked for tasks of the definition and override tasks, never for obsolete ones (they have no page).
   * Relative and http(s) links only: others (`javascript:`...) are left out.
   */
  readonly taskUrl?: (task: TaskView) => string | undefined;
}

export interface PictureNode {
  /** The node's id: the task name, `override_<taskId>` for an override, or an obsolete task's name. */
  readonly id: string;
  readonly label: string;
  readonly type: "human" | "machine";
  /** False for tasks of the definition that this instance never ran: drawn grey. */
  readonly reached: boolean;
  /** A scheduled task: drawn bold. */
  readonly open: boolean;
  /** Succeeded with no child task, the end of a branch: drawn with a double border. */
  readonly finished: boolean;
  readonly override: boolean;
  /** Ran in this instance but is no longer in the definition: dashed, as joeflow draws it. */
  readonly obsolete: boolean;
  /** Canceled (by a person, a workflow's cancel or an override): dotted and greyed, its branch ended there. */
  readonly canceled: boolean;
  readonly failed: boolean;
  /** A sub-workflow task: the name of the workflow it starts (drawn as a box in a box). */
  readonly subflow?: string;
  readonly href?: string;
  readonly tooltip?: string;
}

export interface PictureEdge {
  readonly from: string;
  readonly to: string;
  /** Followed by this instance (black); false for the definition's edges it did not take (grey). */
  readonly reached: boolean;
  /** To or from an override or obsolete task, or the route of a task whose due date passed. */
  readonly dashed: boolean;
}

/** Nodes sorted by id, edges by their ends: the same input always gives the same text. */
export interface Picture {
  readonly name: string;
  readonly rankdir: Rankdir;
  readonly nodes: readonly PictureNode[];
  readonly edges: readonly PictureEdge[];
}

export { OVERRIDE_TASK_NAME };
/** Graphviz refuses quoted strings longer than 16 KiB; a tooltip needs far less. */
const MAX_TOOLTIP = 1000;

export function compiledGraphOf(source: GraphSource): CompiledGraph {
  return "graph" in source ? source.graph : source;
}

/** Shown with spaces, as joeflow does: `send_mail` reads "send mail". */
export function labelOf(id: string): string {
  return id.replaceAll("_", " ");
}

export function workflowPicture(source: GraphSource): Picture {
  const graph = compiledGraphOf(source);
  const nodes = Object.entries(graph.tasks).map(([name, task]) => ({ ...unreached(name, task), reached: true }));
  const edges = [
    ...graph.edges.map(([from, to]) => ({ from, to, reached: true, dashed: false })),
    ...dueRoutes(graph).map(([from, to]) => ({ from, to, reached: true, dashed: true })),
  ];
  return sorted(graph, nodes, edges);
}

export function instancePicture(source: GraphSource, instance: InstanceSource, options: InstanceOptions = {}): Picture {
  const graph = compiledGraphOf(source);
  const tasks = instance.tasks;
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const childCount = new Map<string, number>();
  for (const task of tasks) {
    for (const parentId of task.parentIds) childCount.set(parentId, (childCount.get(parentId) ?? 0) + 1);
  }
  const isObsolete = (task: TaskView) => task.name !== OVERRIDE_TASK_NAME && !hasTask(graph, task.name);
  const nodeIdOf = (task: TaskView) => (task.name === OVERRIDE_TASK_NAME ? `override_${task.id}` : task.name);

  // First the whole definition as not reached, then what the instance did on top of it.
  const nodes = new Map<string, PictureNode>(
    Object.entries(graph.tasks).map(([name, task]) => [name, unreached(name, task)]),
  );
  const edges = new Map<string, PictureEdge>([
    ...graph.edges.map(([from, to]) => [edgeKey(from, to), { from, to, reached: false, dashed: false }] as const),
    ...dueRoutes(graph).map(([from, to]) => [edgeKey(from, to), { from, to, reached: false, dashed: true }] as const),
  ]);

  // A task that ran several times (a loop) is one node: it shows the open visit if there is one, else the latest.
  const visits = new Map<string, TaskView[]>();
  for (const task of tasks) {
    const id = nodeIdOf(task);
    const runs = visits.get(id);
    if (runs) runs.push(task);
    else visits.set(id, [task]);
  }
  for (const [id, runs] of visits) {
    const task = runs.findLast((run) => run.status === "scheduled") ?? runs[runs.length - 1]!;
    const override = task.name === OVERRIDE_TASK_NAME;
    const obsolete = isObsolete(task);
    const failed = task.status === "failed";
    const href = obsolete ? undefined : linkable(options.taskUrl?.(task));
    const tooltip = failed
      ? (task.exception ?? "failed")
      : override && task.completedByUser
        ? `by ${task.completedByUser}`
        : undefined;
    nodes.set(id, {
      ...nodes.get(id),
      id,
      label: override ? OVERRIDE_TASK_NAME : labelOf(id),
      type: task.type,
      reached: true,
      open: task.status === "scheduled",
      finished: task.status === "succeeded" && !childCount.has(task.id),
      override,
      obsolete,
      canceled: task.status === "canceled",
      failed,
      ...(href === undefined ? {} : { href }),
      ...(tooltip === undefined ? {} : { tooltip: tooltip.trim().slice(0, MAX_TOOLTIP) }),
    });
  }

  // Edges the instance took follow the tasks' parents, whether or not the definition has them.
  for (const task of tasks) {
    for (const parentId of task.parentIds) {
      const parent = byId.get(parentId);
      if (!parent) continue;
      const [from, to] = [nodeIdOf(parent), nodeIdOf(task)];
      const dashed = [parent, task].some((end) => end.name === OVERRIDE_TASK_NAME || isObsolete(end));
      const known = edges.get(edgeKey(from, to));
      edges.set(edgeKey(from, to), {
        from,
        to,
        reached: true,
        dashed: dashed || known?.dashed === true,
      });
    }
  }
  return sorted(graph, [...nodes.values()], [...edges.values()]);
}

/**
 * Keeps relative and http(s) links and drops any other scheme (`javascript:`, `data:`): whatever
 * the caller's builder returns, a click on the picture can only navigate.
 */
function linkable(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const scheme = /^([^/?#]*):/.exec(url)?.[1];
  return scheme === undefined || /^https?$/i.test(scheme) ? url : undefined;
}

function unreached(name: string, task: Pick<CompiledTask, "type"> & { kind?: string; workflow?: string }): PictureNode {
  return {
    id: name,
    label: labelOf(name),
    type: task.type,
    ...(task.kind === "subflow" && task.workflow ? { subflow: task.workflow } : {}),
    reached: false,
    open: false,
    finished: false,
    override: false,
    obsolete: false,
    canceled: false,
    failed: false,
  };
}

function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

function sorted(graph: CompiledGraph, nodes: PictureNode[], edges: PictureEdge[]): Picture {
  return {
    name: graph.name,
    rankdir: graph.rankdir,
    nodes: nodes.sort((a, b) => compare(a.id, b.id)),
    edges: edges.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to)),
  };
}

/** Code-unit order, not the locale's: the same everywhere. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The key of a legend: one sample node per look, so readers need not guess what bold or dashed means.
 * Ids hold a colon, which no task name may, so they never clash with a task.
 */
export function legendNodes(kind: "workflow" | "instance"): PictureNode[] {
  const sample = (id: string, label: string, look: Partial<PictureNode>): PictureNode => ({
    ...unreached(id, { type: "machine" }),
    reached: true,
    label,
    ...look,
  });
  const both = [sample("legend:human", "human task", { type: "human" }), sample("legend:machine", "machine task", {})];
  if (kind === "workflow") return both;
  return [
    ...both,
    sample("legend:unreached", "not reached", { reached: false }),
    sample("legend:open", "open", { open: true }),
    sample("legend:finished", "finished end", { finished: true }),
    sample("legend:failed", "failed", { failed: true }),
    sample("legend:override", "override", { type: "human", override: true }),
    sample("legend:obsolete", "obsolete", { obsolete: true }),
    sample("legend:canceled", "canceled", { canceled: true }),
  ];
}
