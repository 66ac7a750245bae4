import type { TaskStatus, WorkflowStatus } from "./schema.ts";

export type { TaskStatus, WorkflowStatus };

export interface TaskView {
  readonly id: string;
  readonly workflowId: string;
  readonly name: string;
  readonly type: "human" | "machine";
  readonly status: TaskStatus;
  readonly parentIds: readonly string[];
  readonly assignees: readonly string[];
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
}

export interface StateChange {
  readonly taskId: string;
  readonly taskName: string;
  readonly user: string | null;
  readonly at: Date;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown>;
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
