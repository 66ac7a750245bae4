/**
 * What the interpreter and the activities say to each other. Pure types and names: imported by
 * the workflow sandbox, the worker and the client.
 */
import type { ErrorData } from "../errors.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type { MessageArgs, MessageName } from "../messages/args.ts";

export const WORKFLOW_TYPE = "joeflowInterpreter";

/** A task that is still open: scheduled, or failed and waiting for a rerun. */
export interface OpenTask {
  readonly id: string;
  readonly name: string;
  readonly type: "human" | "machine";
  readonly status: "scheduled" | "failed";
  readonly created: number;
  readonly attempt: number;
  /** Names of the parents that have arrived; joins wait for all of theirs. */
  readonly parentNames: readonly string[];
  /**
   * A human task's due date (ms), until its passing was handled (escalated): the interpreter keeps a
   * timer for it, and a changed due date moves the timer.
   */
  readonly due?: number;
}

/** The instance's open tasks as one committed transaction left them. */
export interface Snapshot {
  readonly revision: number;
  readonly status: "running" | "done" | "canceled";
  readonly open: readonly OpenTask[];
  /** Hook events (outbox rows) this transaction wrote, or a retry found undelivered: deliver them. */
  readonly events?: readonly string[];
}

export type Outcome<T = undefined> =
  | { readonly ok: true; readonly snapshot: Snapshot; readonly value: T }
  | { readonly ok: false; readonly snapshot: Snapshot | null; readonly error: ErrorData };

/** What the interpreter is given to start or continue. */
export type InterpreterInput =
  | {
      readonly kind: "start";
      readonly workflowId: string;
      readonly graph: CompiledGraph;
      readonly task: string;
      readonly state: Record<string, unknown>;
      readonly user: string | null;
      readonly historyLimit?: number;
      /** A sub-workflow's parent: told when this instance ends. */
      readonly parent?: ParentRef;
    }
  | {
      readonly kind: "resume";
      readonly workflowId: string;
      readonly graph: CompiledGraph;
      readonly snapshot?: Snapshot;
      readonly backoff?: readonly BackoffState[];
      readonly historyLimit?: number;
      readonly parent?: ParentRef;
      /** Sub-workflows started by an earlier run and not yet ended. */
      readonly children?: readonly ChildRun[];
    };

/** Why a timer runs: a `wait` task, a backoff after `false`, a human task's due date. */
export type TimerReason = "wait" | "backoff" | "due";

/** The instance, and its subflow task, that started a sub-workflow. */
export interface ParentRef {
  readonly workflowId: string;
  /** Its workflow's name: with the id, its Temporal workflow id. */
  readonly name: string;
  readonly taskId: string;
}

/** A sub-workflow started for one attempt of a subflow task. */
export interface ChildRun {
  readonly taskId: string;
  readonly attempt: number;
  /** The child instance's id. */
  readonly workflowId: string;
  /** The child's workflow name. */
  readonly name: string;
}

/** What a child tells its parent when it ends (a Signal), or the parent learns from Temporal. */
export interface SubflowEnded {
  readonly taskId: string;
  readonly childId: string;
  /** Why the child ended without an instance to read (its start was refused, it failed in Temporal). */
  readonly failure?: string;
}

/** A machine task that returned `false`: when it runs again, and its current pause. */
export interface BackoffState {
  readonly taskId: string;
  readonly dueAt: number;
  readonly delayMs: number;
  /** How many times in a row it returned `false`. */
  readonly count: number;
}

/** The answer of the `pending` query: what the instance still waits for. */
export interface Pending {
  readonly now: number;
  readonly started: boolean;
  readonly activities: readonly { taskId: string; name: string }[];
  readonly timers: readonly { taskId: string; name: string; dueAt: number; reason: TimerReason }[];
  /** Human tasks whose due date passed, being escalated now. */
  readonly escalating: readonly { taskId: string; name: string }[];
  readonly humans: readonly { taskId: string; name: string }[];
  readonly failed: readonly { taskId: string; name: string }[];
  /** Joins still waiting for parents. */
  readonly blocked: readonly { taskId: string; name: string }[];
  readonly handlers: number;
  /** Between deciding to continue as new and doing it: the next run will go on. */
  readonly continuingAsNew: boolean;
  /** Subflow tasks waiting for their child instance to end. */
  readonly subflows?: readonly { taskId: string; childId: string }[];
}

/**
 * A machine task's activity heartbeats while it runs; when its worker dies the server notices after
 * this long, whatever the task's own timeout, and another worker runs it again.
 */
export const MACHINE_HEARTBEAT_TIMEOUT_MS = 10_000;
/** How often the activity heartbeats: well within the timeout, even on a busy machine. */
export const MACHINE_HEARTBEAT_EVERY_MS = 2_000;

// The activities, as the interpreter sees them.

export interface CreateInstanceInput {
  readonly workflowId: string;
  readonly parent?: ParentRef;
  readonly graph: CompiledGraph;
  readonly task: string;
  readonly taskId: string;
  readonly state: Record<string, unknown>;
  readonly user: string | null;
  readonly at: number;
}

export interface RunTaskInput {
  readonly workflowId: string;
  readonly taskId: string;
  readonly at: number;
  /** How many times it returned `false` before this run. */
  readonly notYetCount?: number;
  /** The task's own timeout: the run is given up after it, whatever the activity's timeout. */
  readonly timeoutMs?: number;
  /** The revision of the workflow's snapshot: a chain that starts from it answers with a delta. */
  readonly knownRevision?: number;
}

/**
 * How long a chain keeps starting machine steps after its first one (see src/activities/chain.ts):
 * long enough that a chain of quick steps pays Temporal's cost per activity once for many steps,
 * short enough that the workflow hears of them often.
 */
export const CHAIN_BUDGET_MS = 2_000;
/**
 * A chain's activity may take this much longer than its first task's timeout: the budget, and a
 * margin for the time the server counts before the activity starts. Each step keeps its own timeout.
 */
export const CHAIN_EXTRA_MS = CHAIN_BUDGET_MS + 1_000;

/** One machine step of a chain, as it ended. */
export interface StepOutcome {
  readonly taskId: string;
  readonly name: string;
  readonly outcome: "succeeded" | "failed" | "notYet" | "skipped";
}

/**
 * What a chain changed since the revision the workflow knew (`base`), when nothing else committed in
 * between: the tasks it closed and the ones it opened. The same as a snapshot, without reading (and
 * carrying) every open task: an instance with a thousand people's tasks open pays nothing for them.
 */
export interface SnapshotDelta {
  readonly base: number;
  readonly revision: number;
  readonly status: Snapshot["status"];
  readonly closed: readonly string[];
  readonly opened: readonly OpenTask[];
}

/**
 * What a runTask activity did: the steps it ran in order (only the last one may be anything but
 * "succeeded"; none when it yielded before its first), and the snapshot its last transaction left, or
 * what changed since the workflow's.
 */
export type RunOutcome = {
  readonly steps: readonly StepOutcome[];
  /** The hook events (outbox rows) of every step the run committed, the snapshot's included: deliver them. */
  readonly events?: readonly string[];
} & (
  | { readonly snapshot: Snapshot; readonly delta?: undefined }
  | { readonly delta: SnapshotDelta; readonly snapshot?: undefined }
);

/** The runTask activity's heartbeat details: the steps committed so far, and the step it runs now. */
export interface ChainProgress {
  readonly steps: readonly StepOutcome[];
  readonly next: { readonly taskId: string; readonly timeoutMs: number } | null;
  /** The hook events the committed steps wrote: a retry that goes on from here hands them on too. */
  readonly events?: readonly string[];
}

/** One message to apply in its own transaction; `messageId` makes a retry answer as the first run did. */
export type ApplyMessageInput = {
  [K in MessageName]: {
    readonly workflowId: string;
    readonly name: K;
    readonly args: MessageArgs[K];
    /** The Update's id (a Signal gets a fresh one): the same message applied twice commits once. */
    readonly messageId: string;
    readonly at: number;
  };
}[MessageName];

export type MessageOutcome = Outcome<{ readonly taskId: string | null }>;

/** A human task whose due date passed (by the workflow's clock `at`): its `onDue` is applied once. */
export interface EscalateInput {
  readonly workflowId: string;
  readonly taskId: string;
  readonly at: number;
}

/** One hook event to deliver; its last attempt marks it failed instead of throwing. */
export interface DeliverEventInput {
  readonly eventId: string;
  readonly maxAttempts: number;
}

export interface DeliverEventOutcome {
  readonly status: "pending" | "delivered" | "failed";
}

/** Starting a subflow task's child: its state from the parent's, computed by the definition's `input`. */
export interface StartSubflowInput {
  readonly workflowId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly at: number;
}

export type StartSubflowOutcome =
  | {
      readonly kind: "start";
      readonly child: ChildRun;
      readonly graph: CompiledGraph;
      /** The child's `tasks.start()` task. */
      readonly task: string;
      readonly state: Record<string, unknown>;
      readonly snapshot: Snapshot;
    }
  /** The task failed (its input could not make the child's state) or was no longer waiting to start. */
  | { readonly kind: "failed" | "skipped"; readonly snapshot: Snapshot };

export interface EndSubflowInput extends SubflowEnded {
  readonly workflowId: string;
  readonly at: number;
}

/** `applied`: the task closed or failed now; false when the child was not this task's, or it ended before. */
export interface EndSubflowOutcome {
  readonly applied: boolean;
  readonly snapshot: Snapshot;
}

/**
 * The worker's activities. `runTask` runs the user's code as an ordinary activity (a task, and the
 * machine tasks that follow it one after another, a chain); the others are
 * joeflow's own short transactions, run as local activities.
 */
export interface InterpreterActivities {
  createInstance(input: CreateInstanceInput): Promise<Snapshot>;
  loadSnapshot(input: { readonly workflowId: string }): Promise<Snapshot | null>;
  applyMessage(input: ApplyMessageInput): Promise<MessageOutcome>;
  runTask(input: RunTaskInput): Promise<RunOutcome>;
  deliverEvent(input: DeliverEventInput): Promise<DeliverEventOutcome>;
  escalateTask(input: EscalateInput): Promise<Snapshot | null>;

  startSubflow(input: StartSubflowInput): Promise<StartSubflowOutcome>;
  endSubflow(input: EndSubflowInput): Promise<EndSubflowOutcome>;
}

/** The Temporal workflow id of an instance: its workflow's name is the prefix. */
export function temporalWorkflowId(name: string, id: string): string {
  return `${name}-${id}`;
}
