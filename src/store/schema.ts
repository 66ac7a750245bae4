import type { ColumnType, Generated, Selectable } from "kysely";

/** JSON columns: objects go in, objects come out. */
type Json<T> = ColumnType<T, T | string, T | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type WorkflowStatus = "running" | "done" | "canceled";
export type TaskStatus = "scheduled" | "succeeded" | "failed" | "canceled";

export interface WorkflowTable {
  id: string;
  name: string;
  status: WorkflowStatus;
  state: Json<Record<string, unknown>>;
  /** The definition's `title(state)`, kept with each commit so lists can show and search it. */
  title: Generated<string>;
  graph_version: string;
  /** Counts committed transitions; the interpreter keeps the newest snapshot by it. */
  revision: number;
  created: Timestamp;
  modified: Timestamp;
  /** The transaction that wrote the row last (xid8, as text); set by a trigger, read by live pages. */
  changed: Generated<string>;
  /** A sub-workflow's parent instance and the subflow task that started it; null for the others. */
  parent_workflow_id: Generated<string | null>;
  parent_task_id: Generated<string | null>;
}

export interface TaskTable {
  id: string;
  /** Insertion order: tasks made in one transaction share their `created`. */
  seq: Generated<string>;
  workflow_id: string;
  name: string;
  type: "human" | "machine";
  status: TaskStatus;
  attempt: number;
  completed_by_user: string | null;
  /** Who took this task from its assignees (a group's queue) to work on it; null when nobody has. */
  claimed_by: Generated<string | null>;
  /** Its instance's workflow name, set by a trigger: the inbox filters and counts by it without a join. */
  workflow_name: Generated<string>;
  /** Whether anybody (a user or a group) is named for it, kept by triggers: "unassigned" is `not offered`. */
  offered: Generated<boolean>;
  /** When a human task should be done (its definition's `due`, or a person's setDue); null: no due date. */
  due: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When its due date passed and the interpreter applied `onDue` (or only marked it); null until then. */
  escalated: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created: Timestamp;
  modified: Timestamp;
  completed: Timestamp | null;
  exception: string | null;
  stacktrace: string | null;
  /** A subflow task's child instance (the latest attempt's); null for other tasks. */
  child_workflow_id: Generated<string | null>;
}

export interface TaskParentTable {
  task_id: string;
  parent_id: string;
}

export interface TaskAssigneeTable {
  task_id: string;
  user_id: string;
}

/** Groups a task is offered to: every member sees it until one claims it. */
export interface TaskGroupTable {
  task_id: string;
  group_id: string;
}

export interface StateChangeTable {
  id: Generated<number>;
  workflow_id: string;
  task_id: string;
  task_name: string;
  user_id: string | null;
  at: Timestamp;
  before: Json<Record<string, unknown>> | null;
  after: Json<Record<string, unknown>>;
}

/** Compiled graphs by version: what an instance runs, for reopening and pictures. */
export interface GraphTable {
  version: string;
  name: string;
  graph: Json<Record<string, unknown>>;
  created: Timestamp;
}

/** Every message an instance applied: who sent what, and its id, so a redelivery commits nothing twice. */
export interface MessageTable {
  id: string;
  workflow_id: string;
  name: string;
  task_id: string | null;
  user_id: string | null;
  at: Timestamp;
}

export type EventStatus = "pending" | "delivered" | "failed";

/**
 * The outbox of hook events: one row per event and hook owner (`target`: the definition's hooks or
 * the worker's), written with the change it reports and marked as its delivery goes.
 */
export interface EventTable {
  /** Also the row's delivery id; the event's own `idempotencyKey` is in the payload. */
  id: string;
  workflow_id: string;
  kind: string;
  target: "workflow" | "worker";
  task_id: string | null;
  payload: Json<Record<string, unknown>>;
  status: EventStatus;
  attempts: number;
  last_error: string | null;
  created: Timestamp;
  modified: Timestamp;
}

/** joeflow's tables; add them to your own database type with `db.withTables<JoeflowDatabase>()`. */
export type JoeflowDatabase = {
  joeflow_workflow: WorkflowTable;
  joeflow_task: TaskTable;
  joeflow_task_parent: TaskParentTable;
  joeflow_task_assignee: TaskAssigneeTable;
  joeflow_task_group: TaskGroupTable;
  joeflow_state_change: StateChangeTable;
  joeflow_graph: GraphTable;
  joeflow_message: MessageTable;
  joeflow_event: EventTable;
};

export type WorkflowRow = Selectable<WorkflowTable>;
export type TaskRow = Selectable<TaskTable>;
export type EventRow = Selectable<EventTable>;
