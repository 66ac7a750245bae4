/**
 * What the interpreter and the activities say to each other, and the messages the outside world
 * sends. Pure types and names: imported by the workflow sandbox, the worker and the client.
 */
import type { ErrorData } from "../errors.ts";
import type { CompiledGraph } from "../graph/types.ts";

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
}

export type Outcome<T = undefined> =
  | { readonly ok: true; readonly snapshot: Snapshot; readonly value: T }
  | { readonly ok: false; readonly snapshot: Snapshot | null; readonly error: ErrorData };

// Messages. Each exists as an Update (the caller gets the result) and as a Signal (fire and forget).

export interface CompleteTaskMessage {
  readonly taskId: string;
  readonly data: Record<string, unknown>;
  readonly user?: string | null;
  readonly next?: readonly string[];
}
export interface OverrideMessage {
  readonly state?: Record<string, unknown>;
  readonly next: readonly string[];
  readonly user?: string | null;
}
export interface TaskMessage {
  readonly taskId: string;
  readonly user?: string | null;
}
export interface WorkflowMessage {
  readonly user?: string | null;
}

export const MESSAGE_NAMES = ["completeTask", "override", "rerun", "cancelTask", "cancelWorkflow"] as const;
export type MessageName = (typeof MESSAGE_NAMES)[number];

export interface MessageArgs {
  completeTask: CompleteTaskMessage;
  override: OverrideMessage;
  rerun: TaskMessage;
  cancelTask: TaskMessage;
  cancelWorkflow: WorkflowMessage;
}

/** What every message's update returns: the affected task, if any, and the instance's status after. */
export interface MessageResult {
  readonly taskId: string | null;
  readonly status: Snapshot["status"];
}

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

/** The Temporal workflow id of an instance: its workflow's name is the prefix. */
export function temporalWorkflowId(name: string, id: string): string {
  return `${name}-${id}`;
}
