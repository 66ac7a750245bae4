/**
 * Sub-workflows, as the interpreter decides about them (pure): which subflow tasks start a child now,
 * which children to cancel because their task closed, and what a child's end changes. A child runs as
 * this same interpreter; it tells its parent when it ends (a Signal to the parent's workflow id, which
 * reaches whichever run is current), so a parent that continued as new still hears of a child an
 * earlier run started: the children it waits for travel in the resume input.
 */
import { derivedId } from "../graph/hash.ts";
import { type CompiledGraph, taskOf } from "../graph/types.ts";
import type { ChildRun, Snapshot } from "./protocol.ts";
import { scheduledTasks, type State, withSnapshot, without } from "./state.ts";

/** A subflow task's attempt to start a child for. */
export interface ChildStart {
  readonly taskId: string;
  readonly name: string;
  readonly attempt: number;
}

export interface ChildPlan {
  readonly state: State;
  readonly start: readonly ChildStart[];
  /** Children whose task closed (canceled, overridden, the instance canceled) before they ended. */
  readonly stop: readonly ChildRun[];
}

/**
 * The child instance of a subflow task's attempt: the same on a replay or a retried start, a new one
 * after a rerun (the attempt grows), so each attempt starts its child once.
 */
export function childInstanceId(taskId: string, attempt: number): string {
  return derivedId(taskId, "subflow", String(attempt));
}

/** Keys in `running` for a child's start, stop or end under way: continue-as-new and finishing wait for them. */
export const busyKey = (taskId: string, what: "start" | "stop" | "end"): string =>
  what === "start" ? taskId : `${taskId}/${what}`;

/**
 * Starts a child for each scheduled subflow task that has none for its attempt; forgets children whose
 * task failed or was rerun (they ended: that is why), and stops those whose task closed without them.
 */
export function planChildren(graph: CompiledGraph, state: State): ChildPlan {
  const open = new Map((state.snapshot?.open ?? []).map((t) => [t.id, t]));
  const children = new Map(state.children);
  const running = new Map(state.running);
  const stop: ChildRun[] = [];
  for (const [taskId, child] of state.children) {
    const task = open.get(taskId);
    if (task && task.status === "scheduled" && task.attempt === child.attempt) continue;
    children.delete(taskId);
    if (!task) {
      stop.push(child);
      running.set(busyKey(taskId, "stop"), child.name);
    }
  }
  const start: ChildStart[] = [];
  for (const task of scheduledTasks(state)) {
    if (taskOf(graph, task.name)?.kind !== "subflow" || children.has(task.id) || running.has(task.id)) continue;
    start.push({ taskId: task.id, name: task.name, attempt: task.attempt });
    running.set(busyKey(task.id, "start"), task.name);
  }
  return { state: { ...state, children, running }, start, stop };
}

/** A child's start ended: it runs (then the task waits for it), or the task failed or was skipped. */
export function childStarted(state: State, taskId: string, snapshot: Snapshot | null, child?: ChildRun): State {
  const next = withSnapshot({ ...state, running: without(state.running, busyKey(taskId, "start")) }, snapshot);
  return child ? { ...next, children: new Map([...next.children, [taskId, child]]) } : next;
}

/** Its end was applied (the task closed or failed): the child is no longer waited for, nor stopped. */
export function childEnded(state: State, ended: { taskId: string; childId: string }, snapshot: Snapshot): State {
  const child = state.children.get(ended.taskId);
  const children = child?.workflowId === ended.childId ? without(state.children, ended.taskId) : state.children;
  return withSnapshot({ ...state, children }, snapshot);
}

/** A start, stop or end that was under way is over. */
export function childSettled(state: State, key: string): State {
  return { ...state, running: without(state.running, key) };
}
