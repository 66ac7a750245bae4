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
}

export interface WorkflowView {
  readonly id: string;
  readonly name: string;
  readonly status: WorkflowStatus;
  readonly state: Record<string, unknown>;
  readonly graphVersion: string;
  readonly created: Date;
  readonly modified: Date;
  /** Oldest first. */
  readonly tasks: readonly TaskView[];
}

export type WorkflowSummary = Omit<WorkflowView, "tasks">;

export interface TaskSummary extends TaskView {
  readonly workflowName: string;
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
