/**
 * The compiled graph: JSON only, no functions. It is the program the interpreter runs, stored in
 * the workflow's history, so a changed definition never changes an instance already running.
 */

export type Rankdir = "LR" | "RL" | "TB" | "BT";

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** How long one run of a machine task may take, unless its definition says otherwise. */
export const DEFAULT_MACHINE_TIMEOUT_MS = 600_000;

/** The task an override records: a person's, done at once, after the tasks it cancelled. */
export const OVERRIDE_TASK_NAME = "override";

/** After `false`: 1 s, doubling up to 1 h. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 3_600_000 };

export type CompiledTask =
  | { readonly kind: "start"; readonly type: "machine" }
  | {
      readonly kind: "startView";
      readonly type: "human";
      readonly fields: readonly string[];
      /** What people read for the task; absent: from its name. */
      readonly label?: string;
    }
  | {
      readonly kind: "updateView";
      readonly type: "human";
      readonly fields: readonly string[];
      /** What people read for the task; absent: from its name. */
      readonly label?: string;
      /** The person picks which outgoing edge to follow (an approval: approve or reject). */
      readonly pickNext?: true;
      /** The state fields its form shows read-only; absent: every field it does not edit. */
      readonly show?: readonly string[];
      /** Fields it must fill: completing it with one of them empty is refused. */
      readonly required?: readonly string[];
      /** Due this long after it opens, or at a date its definition computes from the state. */
      readonly due?: { readonly afterMs: number } | { readonly fromState: true };
      /** When the due date passed: the tasks it goes to (it is cancelled), or reassigned; absent: marked only. */
      readonly onDue?: { readonly goTo: readonly string[] } | { readonly reassign: true };
    }
  | {
      readonly kind: "machine";
      readonly type: "machine";
      readonly backoff: Backoff;
      /** How long one run may take; the interpreter's default when absent. */
      readonly timeoutMs?: number;
    }
  | { readonly kind: "join"; readonly type: "machine"; readonly parents: readonly string[] }
  | { readonly kind: "wait"; readonly type: "machine"; readonly ms: number }
  /** Starts an instance of `workflow` (a Temporal child workflow) and waits until it ends. */
  | { readonly kind: "subflow"; readonly type: "machine"; readonly workflow: string };

export type TaskKind = CompiledTask["kind"];
export type TaskType = CompiledTask["type"];

export interface CompiledGraph {
  readonly name: string;
  /** A hash of everything below: equal versions run the same way. */
  readonly version: string;
  readonly rankdir: Rankdir;
  readonly tasks: Readonly<Record<string, CompiledTask>>;
  readonly edges: readonly (readonly [string, string])[];
}

/**
 * Whether `name` is a task of the graph. Not `name in graph.tasks`: the tasks are a plain object, and
 * "constructor" or "toString" would pass that test, then start a task that is no task.
 */
export function hasTask(graph: CompiledGraph, name: string): boolean {
  return Object.hasOwn(graph.tasks, name);
}

/** The graph's task of this name, or undefined (also for names such as "constructor"). */
export function taskOf(graph: CompiledGraph, name: string): CompiledTask | undefined {
  return hasTask(graph, name) ? graph.tasks[name] : undefined;
}

export function isStartKind(task: CompiledTask): boolean {
  return task.kind === "start" || task.kind === "startView";
}

/** Outgoing edges of a task, in the order the definition lists them. */
export function successors(graph: CompiledGraph, name: string): string[] {
  return graph.edges.filter(([from]) => from === name).map(([, to]) => to);
}

export function predecessors(graph: CompiledGraph, name: string): string[] {
  return graph.edges.filter(([, to]) => to === name).map(([from]) => from);
}

/** The routes of human tasks' `onDue: { goTo }`: from the overdue task to each task it goes to. */
export function dueRoutes(graph: CompiledGraph): (readonly [string, string])[] {
  return Object.entries(graph.tasks).flatMap(([name, task]) =>
    task.kind === "updateView" && task.onDue && "goTo" in task.onDue
      ? task.onDue.goTo.map((to) => [name, to] as const)
      : [],
  );
}
