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
    }
  | {
      readonly kind: "resume";
      readonly workflowId: string;
      readonly graph: CompiledGraph;
      readonly snapshot?: Snapshot;
      readonly backoff?: readonly BackoffState[];
      readonly historyLimit?: number;
    };

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
  readonly timers: readonly { taskId: string; name: string; dueAt: number; reason: "wait" | "backoff" }[];
  readonly humans: readonly { taskId: string; name: string }[];
  readonly failed: readonly { taskId: string; name: string }[];
  /** Joins still waiting for parents. */
  readonly blocked: readonly { taskId: string; name: string }[];
  readonly handlers: number;
  /** Between deciding to continue as new and doing it: the next run will go on. */
  readonly continuingAsNew: boolean;
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
}

export interface RunOutcome {
  readonly outcome: "succeeded" | "failed" | "notYet" | "skipped";
  readonly snapshot: Snapshot;
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

/** One hook event to deliver; its last attempt marks it failed instead of throwing. */
export interface DeliverEventInput {
  readonly eventId: string;
  readonly maxAttempts: number;
}

export interface DeliverEventOutcome {
  readonly status: "pending" | "delivered" | "failed";
}

/**
 * The worker's activities. `runTask` runs the user's code as an ordinary activity; the others are
 * joeflow's own short transactions, run as local activities.
 */
export interface InterpreterActivities {
  createInstance(input: CreateInstanceInput): Promise<Snapshot>;
  loadSnapshot(input: { readonly workflowId: string }): Promise<Snapshot | null>;
  applyMessage(input: ApplyMessageInput): Promise<MessageOutcome>;
  runTask(input: RunTaskInput): Promise<RunOutcome>;
  deliverEvent(input: DeliverEventInput): Promise<DeliverEventOutcome>;
}

/** The Temporal workflow id of an instance: its workflow's name is the prefix. */
export function temporalWorkflowId(name: string, id: string): string {
  return `${name}-${id}`;
}
