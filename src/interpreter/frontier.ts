/**
 * The pure part of the interpreter: which open tasks may run now. No Temporal imports, so it is
 * easy to test and safe in the workflow sandbox.
 */
import { type Backoff, type CompiledGraph, DEFAULT_BACKOFF, DEFAULT_MACHINE_TIMEOUT_MS } from "../graph/types.ts";
import type { BackoffState, OpenTask } from "./protocol.ts";

export type Readiness =
  | { readonly kind: "run" }
  | { readonly kind: "timer"; readonly dueAt: number; readonly reason: "wait" | "backoff" }
  | { readonly kind: "human" }
  | { readonly kind: "blocked" };

/** What a scheduled task waits for at time `now`. */
export function readiness(graph: CompiledGraph, task: OpenTask, backoff: BackoffState | undefined, now: number): Readiness {
  if (task.type === "human") return { kind: "human" };
  const compiled = graph.tasks[task.name];
  if (compiled?.kind === "join" && !compiled.parents.every((p) => task.parentNames.includes(p))) return { kind: "blocked" };
  if (compiled?.kind === "wait" && now < task.created + compiled.ms) {
    return { kind: "timer", dueAt: task.created + compiled.ms, reason: "wait" };
  }
  if (backoff && now < backoff.dueAt) return { kind: "timer", dueAt: backoff.dueAt, reason: "backoff" };
  return { kind: "run" };
}

/** The pause after a task returned `false`: doubling from the initial pause up to the maximum. */
export function nextBackoff(previous: BackoffState | undefined, taskId: string, backoff: Backoff, now: number): BackoffState {
  const delayMs = previous ? Math.min(previous.delayMs * 2, backoff.maxMs) : backoff.initialMs;
  return { taskId, delayMs, dueAt: now + delayMs, count: (previous?.count ?? 0) + 1 };
}

export function backoffOf(graph: CompiledGraph, name: string): Backoff {
  const task = graph.tasks[name];
  return task?.kind === "machine" ? task.backoff : DEFAULT_BACKOFF;
}

export function timeoutOf(graph: CompiledGraph, name: string): number {
  const task = graph.tasks[name];
  return task?.kind === "machine" && task.timeoutMs !== undefined ? task.timeoutMs : DEFAULT_MACHINE_TIMEOUT_MS;
}
