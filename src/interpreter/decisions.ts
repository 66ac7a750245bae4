/**
 * The interpreter's decisions, as pure functions of its state and the time: what to run, which
 * timers to start or cancel, when to finish, when to continue as new, what the `pending` query says.
 * The workflow only carries them out, so these are tested without a Temporal server.
 */
import type { CompiledGraph } from "../graph/types.ts";
import { readiness, timeoutOf } from "./frontier.ts";
import type { CreateInstanceInput, InterpreterInput, OpenTask, Pending, RunTaskInput } from "./protocol.ts";
import { scheduledTasks, type State, type Timer } from "./state.ts";
import { type ChildPlan, planChildren } from "./subflows.ts";

/** A machine task to run as an activity now. */
export interface Dispatch {
  readonly taskId: string;
  readonly name: string;
  /** The activity's start-to-close timeout: the task's own, or the default. */
  readonly timeoutMs: number;
  /** How many times in a row it returned `false`: the task's code may look at it. */
  readonly notYetCount: number;
}

export interface TimerStart extends Timer {
  readonly taskId: string;
}

/** A human task whose due date passed: its `onDue` to apply now (an activity). */
export interface Escalation {
  readonly taskId: string;
  readonly name: string;
}

export interface Plan {
  /** The state with this plan's runs and timers recorded, and the backoff of closed tasks dropped. */
  readonly state: State;
  /**
   * Task ids whose timer to cancel: the task closed, its due date moved, or the run is draining for
   * continue-as-new.
   */
  readonly cancel: readonly string[];
  readonly dispatch: readonly Dispatch[];
  readonly timers: readonly TimerStart[];
  readonly escalate: readonly Escalation[];
  /** Sub-workflows to start, and to stop because their task closed (subflows.ts). */
  readonly children: Omit<ChildPlan, "state">;
}

/**
 * Reconciles the running activities and timers with the snapshot's scheduled tasks. A task that is
 * already running, escalating or waiting on a timer is left alone; any other one runs now, gets a
 * timer (a `wait` task, a backoff after `false`, a person's due date), is escalated (its due date
 * passed), or stays put (a blocked join, a human task without a due date).
 */
export function plan(graph: CompiledGraph, state: State, now: number): Plan {
  const scheduled = scheduledTasks(state);
  const open = new Map(scheduled.map((t) => [t.id, t]));
  // Draining cancels every timer: the next run restarts them from the deadlines in the snapshot.
  const cancel = [...state.timers]
    .filter(([id, timer]) => state.draining || !live(timer, open.get(id)))
    .map(([id]) => id);
  const backoff = new Map([...state.backoff].filter(([id]) => open.has(id)));
  if (state.draining) {
    return { state: { ...state, backoff }, cancel, dispatch: [], timers: [], escalate: [], children: NO_CHILDREN };
  }
  const dispatch: Dispatch[] = [];
  const timers: TimerStart[] = [];
  const escalate: Escalation[] = [];
  for (const task of scheduled) {
    if (state.running.has(task.id) || state.timers.has(task.id) || state.escalating.has(task.id)) continue;
    const previous = backoff.get(task.id);
    const ready = readiness(graph, task, previous, now);
    if (ready.kind === "run") {
      const timeoutMs = timeoutOf(graph, task.name);
      dispatch.push({ taskId: task.id, name: task.name, timeoutMs, notYetCount: previous?.count ?? 0 });
    } else if (ready.kind === "timer") {
      timers.push({ taskId: task.id, name: task.name, dueAt: ready.dueAt, reason: ready.reason });
    } else if (ready.kind === "escalate") {
      escalate.push({ taskId: task.id, name: task.name });
    }
  }
  const next = {
    ...state,
    backoff,
    running: new Map([...state.running, ...dispatch.map((d) => [d.taskId, d.name] as const)]),
    timers: new Map([...state.timers, ...timers.map(({ taskId, ...t }) => [taskId, t] as const)]),
    escalating: new Map([...state.escalating, ...escalate.map((e) => [e.taskId, e.name] as const)]),
  };
  const { state: planned, ...children } = planChildren(graph, next);
  return { state: planned, cancel, dispatch, timers, escalate, children };
}

/** A timer still wanted: its task is scheduled, and a due date's timer still has the task's due date. */
function live(timer: Timer, task: OpenTask | undefined): boolean {
  return task !== undefined && (timer.reason !== "due" || timer.dueAt === task.due);
}

const NO_CHILDREN: Plan["children"] = { start: [], stop: [] };

/** What the workflow's history looks like now (from workflowInfo()). */
export interface History {
  readonly continueAsNewSuggested: boolean;
  readonly historyLength: number;
}

export const DEFAULT_HISTORY_LIMIT = 10_000;

export function historyLimitOf(input: InterpreterInput): number {
  return input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
}

/** The server suggests it, or our own (lower, for tests) limit is reached. */
export function shouldContinueAsNew(history: History, historyLimit: number): boolean {
  return history.continueAsNewSuggested || history.historyLength >= historyLimit;
}

/** Nothing open, running or timed: the instance is over (once the message handlers finish too). */
export function isFinished(state: State): boolean {
  return state.started && !state.reload && (state.snapshot?.open.length ?? 0) === 0 && isDrained(state);
}

/** No activity, escalation or timer left: what continue-as-new waits for, so nothing is lost or run twice. */
export function isDrained(state: State): boolean {
  return state.running.size === 0 && state.timers.size === 0 && state.escalating.size === 0;
}

/**
 * What the loop does after a plan: finish, continue as new, or wait for something to happen.
 * Finishing wins over continuing as new: a finished instance has nothing to carry.
 */
export type Move = "finish" | "continueAsNew" | "wait";

export function nextMove(state: State, history: History, historyLimit: number): Move {
  if (isFinished(state)) return "finish";
  if (shouldContinueAsNew(history, historyLimit)) return "continueAsNew";
  return "wait";
}

/** The next run's input: the snapshot and backoff carry over; timers restart from their deadlines. */
export function resumeInput(input: InterpreterInput, state: State): InterpreterInput {
  return {
    kind: "resume",
    workflowId: input.workflowId,
    graph: input.graph,
    snapshot: state.snapshot ?? undefined,
    backoff: [...state.backoff.values()],
    historyLimit: historyLimitOf(input),
    ...(input.parent ? { parent: input.parent } : {}),
    ...(state.children.size ? { children: [...state.children.values()] } : {}),
  };
}

/** The instance to create when a run starts from scratch; `taskId` is its first task's. */
export function createInput(
  input: Extract<InterpreterInput, { kind: "start" }>,
  taskId: string,
  now: number,
): CreateInstanceInput {
  const { workflowId, graph, task, state, user, parent } = input;
  return { workflowId, graph, task, taskId, state, user, at: now, ...(parent ? { parent } : {}) };
}

/** `knownRevision`: the revision of the workflow's snapshot, from which the chain may answer with a delta. */
export function runInput(workflowId: string, dispatch: Dispatch, now: number, knownRevision?: number): RunTaskInput {
  const { taskId, notYetCount, timeoutMs } = dispatch;
  return { workflowId, taskId, at: now, notYetCount, timeoutMs, knownRevision };
}

/** The `pending` query's answer: what the instance waits for; `idle()` in tests polls it. */
export function pendingOf(graph: CompiledGraph, state: State, now: number, handlersFinished: boolean): Pending {
  const open = state.snapshot?.open ?? [];
  const ref = (t: { id: string; name: string }) => ({ taskId: t.id, name: t.name });
  return {
    now,
    started: state.started,
    activities: [...state.running].map(([taskId, name]) => ({ taskId, name })),
    timers: [...state.timers].map(([taskId, t]) => ({ taskId, name: t.name, dueAt: t.dueAt, reason: t.reason })),
    escalating: [...state.escalating].map(([taskId, name]) => ({ taskId, name })),
    humans: open.filter((t) => t.status === "scheduled" && t.type === "human").map(ref),
    failed: open.filter((t) => t.status === "failed").map(ref),
    // Without backoff: a join waiting for parents is "blocked" whatever its timers say.
    blocked: scheduledTasks(state)
      .filter((t) => readiness(graph, t, undefined, now).kind === "blocked")
      .map(ref),
    handlers: handlersFinished ? 0 : 1,
    continuingAsNew: state.draining,
    ...(state.children.size
      ? { subflows: [...state.children.values()].map((c) => ({ taskId: c.taskId, childId: c.workflowId })) }
      : {}),
  };
}
