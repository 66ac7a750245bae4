import type { TaskStatus, WorkflowStatus } from "./schema.ts";

export type { TaskStatus, WorkflowStatus };

export interface TaskView {
  readonly id: string;
  readonly workflowId: string;
  readonly name: string;
  readonly type: "human" | "machine";
  readonly status: TaskStatus;
  readonly parentIds: readonly string[];
  /** The users it is assigned to. */
  readonly assignees: readonly string[];
  /** The groups it is offered to; a member claims it to work on it. */
  readonly groups: readonly string[];
  /** Who took it to work on; only they complete or release it. */
  readonly claimedBy: string | null;
  readonly completedByUser: string | null;
  readonly created: Date;
  readonly modified: Date;
  readonly completed: Date | null;
  readonly exception: string | null;
  readonly stacktrace: string | null;
  readonly attempt: number;
  /** When it should be done; null: no due date. */
  readonly due: Date | null;
  /** Still open and past its due date (by the store's clock, or as the interpreter found it). */
  readonly overdue: boolean;
  /** A subflow task's child instance (its latest attempt's); absent for other tasks and before it starts. */
  readonly childWorkflowId?: string;
}

export interface WorkflowView {
  readonly id: string;
  readonly name: string;
  /** The definition's `title(state)`, or "<Workflow label> <short id>". */
  readonly title: string;
  readonly status: WorkflowStatus;
  readonly state: Record<string, unknown>;
  readonly graphVersion: string;
  readonly created: Date;
  readonly modified: Date;
  /** A sub-workflow's parent instance and the subflow task that started it; absent for the others. */
  readonly parent?: { readonly workflowId: string; readonly taskId: string };
  /** Oldest first. */
  readonly tasks: readonly TaskView[];
  /**
   * Hook events not delivered: still retrying (`pending`) or given up on (`failed`, with the error).
   * Delivered ones are not listed. Oldest first.
   */
  readonly hooks: readonly HookDelivery[];
}

export type WorkflowSummary = Omit<WorkflowView, "tasks" | "hooks">;

/** One hook event's delivery to one owner's hook (the definition's or the worker's). */
export interface HookDelivery {
  readonly id: string;
  readonly kind: string;
  readonly target: "workflow" | "worker";
  readonly taskId: string | null;
  readonly status: "pending" | "failed";
  readonly attempts: number;
  readonly lastError: string | null;
  readonly created: Date;
  readonly modified: Date;
}

export interface TaskSummary extends TaskView {
  readonly workflowName: string;
  /** The instance's title. */
  readonly workflowTitle: string;
}

export interface StateChange {
  readonly taskId: string;
  readonly taskName: string;
  readonly user: string | null;
  readonly at: Date;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown>;
}

/** A message an instance applied: what was done, to which task, by whom and when (its history of actions). */
export interface MessageRecord {
  readonly name: string;
  readonly taskId: string | null;
  readonly taskName: string | null;
  readonly user: string | null;
  readonly at: Date;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass it back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface ListOptions {
  readonly name?: string;
  readonly status?: WorkflowStatus;
  readonly cursor?: string | null;
  readonly limit?: number;
}

export interface ListTasksOptions {
  readonly status?: TaskStatus;
  readonly name?: string;
  readonly workflowId?: string;
  readonly assignee?: string;
  /** Only tasks nobody in particular is assigned to. */
  readonly unassigned?: boolean;
  readonly type?: "human" | "machine";
  readonly cursor?: string | null;
  readonly limit?: number;
}

/** Whose open tasks the inbox lists; see INBOX_SCOPES. */
export type InboxScope = "mine" | "groups" | "unassigned" | "overdue" | "all";

export interface InboxOptions {
  /** Who is asking: "mine" is their tasks; nobody (null) has none. */
  readonly user: string | null;
  /** The user's groups: "groups" is the unclaimed tasks offered to one of them. */
  readonly groups?: readonly string[];
  /** Default "all". */
  readonly scope?: InboxScope;
  /** Only tasks of these workflows (those the viewer may see); all when left out, none when empty. */
  readonly workflows?: readonly string[];
  /** Only tasks of this workflow. */
  readonly workflow?: string;
  /** Only tasks of this name. */
  readonly task?: string;
  /** Only tasks whose instance's title has this text, in any case. */
  readonly search?: string;
  readonly cursor?: string | null;
  readonly limit?: number;
}

export interface InboxPage extends Page<TaskSummary> {
  /** How many tasks each scope has under the other filters (workflow, task, search). */
  readonly counts: Readonly<Record<InboxScope, number>>;
}
