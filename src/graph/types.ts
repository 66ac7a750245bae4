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

/** After `false`: 1 s, doubling up to 1 h. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 3_600_000 };

export type CompiledTask =
  | { readonly kind: "start"; readonly type: "machine" }
  | { readonly kind: "startView"; readonly type: "human"; readonly fields: readonly string[] }
  | {
      readonly kind: "updateView";
      readonly type: "human";
      readonly fields: readonly string[];
      /** The person picks which outgoing edge to follow (an approval: approve or reject). */
      readonly pickNext?: true;
    }
  | {
      readonly kind: "machine";
      readonly type: "machine";
      readonly backoff: Backoff;
      /** How long one run may take; the interpreter's default when absent. */
      readonly timeoutMs?: number;
    }
  | { readonly kind: "join"; readonly type: "machine"; readonly parents: readonly string[] }
  | { readonly kind: "wait"; readonly type: "machine"; readonly ms: number };

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
