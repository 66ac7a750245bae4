/**
 * What the interpreter knows between two decisions, and how each thing that happens changes it.
 * Pure and immutable: every event returns a new State, so the workflow loop notices a change by
 * comparing references, and a test can replay events without Temporal.
 */
import type { ErrorData } from "../errors.ts";
import { backoffOf, nextBackoff } from "./frontier.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type {
  BackoffState,
  ChildRun,
  InterpreterInput,
  OpenTask,
  RunOutcome,
  Snapshot,
  SnapshotDelta,
  TimerReason,
} from "./protocol.ts";

/** A timer the workflow has started for a scheduled task; it ends when it fires or is cancelled. */
export interface Timer {
  readonly name: string;
  readonly dueAt: number;
  readonly reason: TimerReason;
}

export interface State {
  /** The newest snapshot any transaction returned; null until the instance is loaded or created. */
  readonly snapshot: Snapshot | null;
  /** The instance is in the database: messages may be applied and the loop may run. */
  readonly started: boolean;
  /** Why the instance could not be created (the database refused its data): the `started` update's answer. */
  readonly startError?: ErrorData;
  /** Continue-as-new is decided: nothing new starts, and the loop waits for what still runs. */
  readonly draining: boolean;
  /** Machine tasks that returned `false`, by task id: when they run again. */
  readonly backoff: ReadonlyMap<string, BackoffState>;
  /** Machine tasks whose activity runs now: task id to task name. */
  readonly running: ReadonlyMap<string, string>;
  /** Timers not yet ended, by task id; at most one per task. */
  readonly timers: ReadonlyMap<string, Timer>;
  /** Human tasks whose due date passed, being escalated now: task id to task name. */
  readonly escalating: ReadonlyMap<string, string>;
  /** A chain's delta did not fit the snapshot (never expected): the workflow reads the snapshot again. */
  readonly reload: boolean;
  /** Sub-workflows running for subflow tasks, by task id (see subflows.ts). */
  readonly children: ReadonlyMap<string, ChildRun>;
}

/** A resumed run knows its snapshot and backoff already; a started one learns them from createInstance. */
export function initialState(input: InterpreterInput): State {
  const snapshot = input.kind === "resume" ? (input.snapshot ?? null) : null;
  const backoff = input.kind === "resume" ? (input.backoff ?? []) : [];
  return {
    snapshot,
    started: snapshot !== null,
    draining: false,
    backoff: new Map(backoff.map((b) => [b.taskId, b])),
    running: new Map(),
    timers: new Map(),
    escalating: new Map(),
    reload: false,
    children: new Map((input.kind === "resume" ? (input.children ?? []) : []).map((c) => [c.taskId, c])),
  };
}

/**
 * Keeps the newer of two snapshots. Transactions commit in revision order but their replies may
 * arrive out of order (a message applied while a machine task ran), so an older one is ignored.
 */
export function withSnapshot(state: State, next: Snapshot | null): State {
  if (!next || (state.snapshot && next.revision < state.snapshot.revision)) return state;
  return { ...state, snapshot: next };
}

/**
 * Applies a chain's delta to the snapshot it was made from. An older one changes nothing, as an older
 * snapshot does; one made from a revision the workflow has not seen asks for the snapshot to be read
 * again (a chain answers with a delta only when it started from the workflow's revision and nothing
 * else committed during it, so this is a safety net).
 */
export function withDelta(state: State, delta: SnapshotDelta): State {
  const current = state.snapshot;
  if (current && delta.revision <= current.revision) return state;
  if (!current || delta.base !== current.revision) return { ...state, reload: true };
  const closed = new Set(delta.closed);
  const open = [...current.open.filter((t) => !closed.has(t.id)), ...delta.opened];
  return { ...state, snapshot: { revision: delta.revision, status: delta.status, open } };
}

/** createInstance refused the instance for good: there is nothing to run, and `started` says why. */
export function startFailed(state: State, error: ErrorData): State {
  return { ...state, started: true, startError: error };
}

/** createInstance or loadSnapshot answered: the loop and the waiting messages may go on. */
export function opened(state: State, snapshot: Snapshot | null): State {
  return { ...withSnapshot(state, snapshot), started: true, reload: false };
}

/** Scheduled tasks: the ones the interpreter acts on (failed ones wait for a rerun message). */
export function scheduledTasks(state: State): OpenTask[] {
  return (state.snapshot?.open ?? []).filter((t) => t.status === "scheduled");
}

/**
 * A runTask activity ended: with the steps of its chain, or `undefined` when it gave up (the error
 * is logged by the workflow; the task stays scheduled and the next plan runs it again). Each step
 * that returned `false` ("not yet") starts or doubles its task's backoff; any other outcome ends it.
 */
export function runEnded(
  state: State,
  graph: CompiledGraph,
  taskId: string,
  result: RunOutcome | undefined,
  now: number,
): State {
  const freed = { ...state, running: without(state.running, taskId) };
  const next = result?.delta ? withDelta(freed, result.delta) : withSnapshot(freed, result?.snapshot ?? null);
  if (!result || !state.running.has(taskId)) return next;
  const backoff = new Map(state.backoff);
  for (const step of result.steps) {
    if (step.outcome === "notYet") {
      backoff.set(
        step.taskId,
        nextBackoff(state.backoff.get(step.taskId), step.taskId, backoffOf(graph, step.name), now),
      );
    } else {
      backoff.delete(step.taskId);
    }
  }
  return { ...next, backoff };
}

/** An escalation ended: with the snapshot it left, or null when it gave up (the next plan tries again). */
export function escalationEnded(state: State, taskId: string, snapshot: Snapshot | null): State {
  return withSnapshot({ ...state, escalating: without(state.escalating, taskId) }, snapshot);
}

/** A timer fired or was cancelled: either way the next plan looks at its task again. */
export function timerEnded(state: State, taskId: string): State {
  return { ...state, timers: without(state.timers, taskId) };
}

/** Continue-as-new is decided: the next plan cancels every timer and starts nothing. */
export function startDraining(state: State): State {
  return { ...state, draining: true };
}

export function without<V>(map: ReadonlyMap<string, V>, key: string): ReadonlyMap<string, V> {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}
