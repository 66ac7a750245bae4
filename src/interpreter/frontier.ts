/**
 * The frontier, one task at a time: whether a scheduled task may run now, what its backoff and
 * timeout are. Pure (no Temporal imports); decisions.ts applies it to every open task, and
 * test/interpreter/frontier.test.ts tests it.
 */
import { type Backoff, type CompiledGraph, DEFAULT_BACKOFF, DEFAULT_MACHINE_TIMEOUT_MS } from "../graph/types.ts";
import type { BackoffState, OpenTask, TimerReason } from "./protocol.ts";

export type Readiness =
  | { readonly kind: "run" }
  | { readonly kind: "timer"; readonly dueAt: number; readonly reason: TimerReason }
  | { readonly kind: "human" }
  | { readonly kind: "escalate" }
  | { readonly kind: "blocked" }
  /** A sub-workflow task: the interpreter starts its child and waits for it (subflows.ts). */
  | { readonly kind: "subflow" };

/**
 * What a scheduled task waits for at time `now`: a person (and the timer of their due date, or its
 * escalation once it passed), its join's other parents, a timer (its `wait`, then its backoff), or
 * nothing. Deadlines come from the snapshot and the backoff state, never from a timer, so a run
 * continued as new restarts its timers from the same deadlines.
 */
export function readiness(
  graph: CompiledGraph,
  task: OpenTask,
  backoff: BackoffState | undefined,
  now: number,
): Readiness {
  if (task.type === "human") {
    if (task.due === undefined) return { kind: "human" };
    return now < task.due ? { kind: "timer", dueAt: task.due, reason: "due" } : { kind: "escalate" };
  }
  const compiled = graph.tasks[task.name];
  if (compiled?.kind === "subflow") return { kind: "subflow" };
  if (compiled?.kind === "join" && !compiled.parents.every((p) => task.parentNames.includes(p))) {
    return { kind: "blocked" };
  }
  if (compiled?.kind === "wait" && now < task.created + compiled.ms) {
    return { kind: "timer", dueAt: task.created + compiled.ms, reason: "wait" };
  }
  if (backoff && now < backoff.dueAt) return { kind: "timer", dueAt: backoff.dueAt, reason: "backoff" };
  return { kind: "run" };
}

/** The pause after a task returned `false`: doubling from the initial pause up to the maximum. */
export function nextBackoff(
  previous: BackoffState | undefined,
  taskId: string,
  backoff: Backoff,
  now: number,
): BackoffState {
  const delayMs = previous ? Math.min(previous.delayMs * 2, backoff.maxMs) : backoff.initialMs;
  return { taskId, delayMs, dueAt: now + delayMs, count: (previous?.count ?? 0) + 1 };
}

/** A machine task's backoff after `false`, from its definition; the default for the other kinds. */
export function backoffOf(graph: CompiledGraph, name: string): Backoff {
  const task = graph.tasks[name];
  return task?.kind === "machine" ? task.backoff : DEFAULT_BACKOFF;
}

/** How long one run of a task's activity may take: its definition's timeout, or the default. */
export function timeoutOf(graph: CompiledGraph, name: string): number {
  const task = graph.tasks[name];
  return task?.kind === "machine" && task.timeoutMs !== undefined ? task.timeoutMs : DEFAULT_MACHINE_TIMEOUT_MS;
}

/**
 * Whether a chain goes on with the tasks a step just started (src/activities/chain.ts): only with the
 * one machine task it started, whose timeout is no longer than the chain's first (the activity's
 * timeout covers that, plus the budget); a wait, a join, a person's task or a fan-out go back to the
 * workflow, which plans them as it always does.
 */
export function chainsInto(
  graph: CompiledGraph,
  started: readonly { readonly id: string; readonly name: string }[],
  firstTimeoutMs: number,
): { readonly taskId: string; readonly timeoutMs: number } | null {
  if (started.length !== 1) return null;
  const [next] = started as [{ id: string; name: string }];
  if (graph.tasks[next.name]?.kind !== "machine") return null;
  const timeoutMs = timeoutOf(graph, next.name);
  return timeoutMs <= firstTimeoutMs ? { taskId: next.id, timeoutMs } : null;
}
