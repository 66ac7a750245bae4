/** Task rows: create them, find them under the instance's lock, and move them from status to status. */
import { sql } from "kysely";
import type { Tx } from "./db.ts";
import type { TaskRow, TaskStatus } from "./schema.ts";

export interface NewTask {
  readonly id: string;
  readonly workflowId: string;
  readonly name: string;
  readonly type: "human" | "machine";
  readonly at: Date;
  /** A start task or an override is recorded done at once, by whom it was. */
  readonly done?: { readonly user: string | null };
  /** A human task's due date (its definition's `due`). */
  readonly due?: Date;
}

/** Inserts a task; a retried transaction that inserts the same id again changes nothing. */
export async function insertTask(tx: Tx, task: NewTask): Promise<void> {
  await tx
    .insertInto("joeflow_task")
    .values(taskRow(task))
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** A new task's row (a machine step inserts it in the statement that closes its own task). */
export function taskRow(task: NewTask) {
  return {
    id: task.id,
    workflow_id: task.workflowId,
    name: task.name,
    type: task.type,
    status: task.done ? ("succeeded" as const) : ("scheduled" as const),
    attempt: 1,
    completed_by_user: task.done?.user ?? null,
    created: task.at,
    modified: task.at,
    completed: task.done ? task.at : null,
    exception: null,
    stacktrace: null,
    ...(task.due ? { due: task.due } : {}),
  };
}

export async function insertParents(tx: Tx, taskId: string, parentIds: readonly string[]): Promise<void> {
  if (parentIds.length === 0) return;
  await tx
    .insertInto("joeflow_task_parent")
    .values(parentIds.map((parent_id) => ({ task_id: taskId, parent_id })))
    .onConflict((oc) => oc.columns(["task_id", "parent_id"]).doNothing())
    .execute();
}

export async function insertAssignees(tx: Tx, taskId: string, users: readonly string[]): Promise<void> {
  if (users.length === 0) return;
  await tx
    .insertInto("joeflow_task_assignee")
    .values(users.map((user_id) => ({ task_id: taskId, user_id })))
    .onConflict((oc) => oc.columns(["task_id", "user_id"]).doNothing())
    .execute();
}

export async function insertGroups(tx: Tx, taskId: string, groups: readonly string[]): Promise<void> {
  if (groups.length === 0) return;
  await tx
    .insertInto("joeflow_task_group")
    .values(groups.map((group_id) => ({ task_id: taskId, group_id })))
    .onConflict((oc) => oc.columns(["task_id", "group_id"]).doNothing())
    .execute();
}

/** Sets who has claimed a task; null hands it back to its assignees. */
export async function setClaim(tx: Tx, taskId: string, user: string | null, at: Date): Promise<void> {
  await tx.updateTable("joeflow_task").set({ claimed_by: user, modified: at }).where("id", "=", taskId).execute();
}

/** New assignees instead of the old ones; the claim is dropped, as the task goes to them. */
export async function replaceAssignees(
  tx: Tx,
  taskId: string,
  to: { users: readonly string[]; groups: readonly string[] },
  at: Date,
): Promise<void> {
  await tx.deleteFrom("joeflow_task_assignee").where("task_id", "=", taskId).execute();
  await tx.deleteFrom("joeflow_task_group").where("task_id", "=", taskId).execute();
  await insertAssignees(tx, taskId, to.users);
  await insertGroups(tx, taskId, to.groups);
  await setClaim(tx, taskId, null, at);
}

/** The oldest open task of this name: a join that later parents arrive at. */
export async function findScheduledByName(tx: Tx, workflowId: string, name: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom("joeflow_task")
    .select("id")
    .where("workflow_id", "=", workflowId)
    .where("name", "=", name)
    .where("status", "=", "scheduled")
    .orderBy("seq")
    .executeTakeFirst();
  return row?.id;
}

export type LockedTask = TaskRow & {
  readonly assignees: readonly string[];
  readonly groups: readonly string[];
  readonly claimedBy: string | null;
};

/**
 * A task of this instance, read under the instance's lock, with its assignees in the same statement
 * (a completion needs them, and a round trip costs more) unless they are not wanted (a machine step).
 */
export async function findTaskOf(
  tx: Tx,
  workflowId: string,
  taskId: string,
  options: { assignees?: boolean } = {},
): Promise<LockedTask | undefined> {
  const query = tx
    .selectFrom("joeflow_task as t")
    .selectAll("t")
    .where("t.id", "=", taskId)
    .where("t.workflow_id", "=", workflowId);
  if (options.assignees === false) {
    const task = await query.executeTakeFirst();
    return task && { ...task, assignees: [], groups: [], claimedBy: task.claimed_by };
  }
  const task = await query
    .select([
      sql<string[] | null>`(select json_agg(a.user_id) from joeflow_task_assignee a
    where a.task_id = t.id)`.as("assignees"),
      sql<string[] | null>`(select json_agg(g.group_id) from joeflow_task_group g
    where g.task_id = t.id)`.as("groups"),
    ])
    .executeTakeFirst();
  return task && { ...task, assignees: task.assignees ?? [], groups: task.groups ?? [], claimedBy: task.claimed_by };
}

/** Closes a task as succeeded or canceled, by whom. */
export async function closeTask(
  tx: Tx,
  taskId: string,
  close: { status: "succeeded" | "canceled"; user: string | null; at: Date },
): Promise<void> {
  await tx.updateTable("joeflow_task").set(closedRow(close)).where("id", "=", taskId).execute();
}

/** What closing a task sets. */
export function closedRow(close: { status: "succeeded" | "canceled"; user: string | null; at: Date }) {
  return { status: close.status, completed_by_user: close.user, completed: close.at, modified: close.at };
}

/** Marks a scheduled task failed; false when it was no longer scheduled. */
export async function failTask(
  tx: Tx,
  taskId: string,
  failure: { exception: string; stacktrace: string; at: Date },
): Promise<boolean> {
  const updated = await tx
    .updateTable("joeflow_task")
    .set({ status: "failed", exception: failure.exception, stacktrace: failure.stacktrace, modified: failure.at })
    .where("id", "=", taskId)
    .where("status", "=", "scheduled")
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** A failed task scheduled again: the same row, one attempt more (joeflow's enqueue). */
export async function rescheduleTask(tx: Tx, taskId: string, at: Date): Promise<void> {
  await tx
    .updateTable("joeflow_task")
    .set((eb) => ({
      status: "scheduled",
      attempt: eb("attempt", "+", 1),
      exception: null,
      stacktrace: null,
      modified: at,
    }))
    .where("id", "=", taskId)
    .execute();
}

const OPEN: readonly TaskStatus[] = ["scheduled", "failed"];

/** How many tasks of the instance are open (scheduled or failed). */
export async function countOpenTasks(tx: Tx, workflowId: string): Promise<number> {
  const row = await tx
    .selectFrom("joeflow_task")
    .select((eb) => eb.fn.countAll<string>().as("open"))
    .where("workflow_id", "=", workflowId)
    .where("status", "in", OPEN)
    .executeTakeFirstOrThrow();
  return Number(row.open);
}

/** Cancels every open task of the instance; answers their ids, sorted. */
export async function cancelOpenTasks(tx: Tx, workflowId: string, user: string | null, at: Date): Promise<string[]> {
  const rows = await tx
    .updateTable("joeflow_task")
    .set({ status: "canceled", completed_by_user: user, completed: at, modified: at })
    .where("workflow_id", "=", workflowId)
    .where("status", "in", OPEN)
    .returning("id")
    .execute();
  return rows.map((r) => r.id).sort();
}

/** The id of the instance's newest task. */
export async function latestTaskId(tx: Tx, workflowId: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom("joeflow_task")
    .select("id")
    .where("workflow_id", "=", workflowId)
    .orderBy("seq", "desc")
    .executeTakeFirst();
  return row?.id;
}
