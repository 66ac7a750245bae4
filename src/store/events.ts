/**
 * The outbox of hook events. A committing transition writes the events of what it changed, derived in
 * one place from the rows it touched (every task it wrote carries the transition's time), so each
 * message and each step reports its events without saying so, new ones included.
 */
import { sql } from "kysely";
import type { HookEvent, HookEventKind, HookTask, TaskEventKind } from "../definition/hooks.ts";
import { derivedId } from "../graph/hash.ts";
import type { Reader, Tx } from "./db.ts";
import type { EventRow, TaskStatus, WorkflowStatus } from "./schema.ts";

/** Which kinds each owner has hooks for, and who caused the change. */
export interface EventsWanted {
  readonly workflow: readonly HookEventKind[];
  readonly worker: readonly HookEventKind[];
  readonly user: string | null;
  /** The message this transition applies, if any ("override" makes an `overridden` event). */
  readonly message?: string;
  /** Tasks whose due date this transition found passed: each makes a `taskOverdue` event too. */
  readonly overdue?: readonly string[];
}

export interface Committed {
  readonly id: string;
  readonly name: string;
  readonly statusBefore: WorkflowStatus;
  readonly status: WorkflowStatus;
  readonly revision: number;
  readonly state: Record<string, unknown>;
  readonly at: Date;
}

const TASK_KINDS: Record<TaskStatus, TaskEventKind> = {
  scheduled: "taskScheduled",
  succeeded: "taskCompleted",
  failed: "taskFailed",
  canceled: "taskCanceled",
};

/** Writes the events this transition makes that someone has a hook for; answers the new rows' ids. */
export async function recordEvents(tx: Tx, committed: Committed, wanted: EventsWanted): Promise<string[]> {
  const events = [...workflowEvents(committed, wanted), ...(await taskEvents(tx, committed, wanted))];
  const rows = events.flatMap((event) =>
    (["workflow", "worker"] as const)
      .filter((target) => wanted[target].includes(event.kind))
      .map((target) => ({
        id: derivedId(event.idempotencyKey, target),
        workflow_id: committed.id,
        kind: event.kind,
        target,
        task_id: "task" in event ? event.task.id : null,
        payload: JSON.stringify(event),
        status: "pending" as const,
        attempts: 0,
        last_error: null,
        created: committed.at,
        modified: committed.at,
      })),
  );
  if (rows.length === 0) return [];
  // Two transitions may share a time (one workflow task's activities): the first one's events win.
  const inserted = await tx
    .insertInto("joeflow_event")
    .values(rows)
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id")
    .execute();
  return inserted.map((row) => row.id);
}

function base(committed: Committed, user: string | null) {
  return {
    workflow: { name: committed.name, id: committed.id, status: committed.status },
    user,
    at: committed.at.toISOString(),
    revision: committed.revision,
    state: committed.state,
  };
}

function workflowEvents(committed: Committed, wanted: EventsWanted): HookEvent[] {
  const kinds: HookEventKind[] = [];
  if (wanted.message === "override") kinds.push("overridden");
  if (committed.status !== committed.statusBefore && committed.status !== "running") {
    kinds.push(committed.status === "done" ? "workflowDone" : "workflowCanceled");
  }
  return kinds
    .filter((kind) => wanted.workflow.includes(kind) || wanted.worker.includes(kind))
    .map((kind) => ({
      kind,
      idempotencyKey: derivedId("event", kind, committed.id, String(committed.revision)),
      ...base(committed, wanted.user),
    })) as HookEvent[];
}

/** The tasks this transition wrote, as events; the kind is the status they were left in. */
async function taskEvents(tx: Tx, committed: Committed, wanted: EventsWanted): Promise<HookEvent[]> {
  const rows = await tx
    .selectFrom("joeflow_task as t")
    .select(["t.id", "t.name", "t.type", "t.status", "t.attempt", "t.exception", "t.completed_by_user"])
    .select(
      sql<string[] | null>`(select json_agg(a.user_id) from joeflow_task_assignee a where a.task_id = t.id)`.as(
        "assignees",
      ),
    )
    .where("t.workflow_id", "=", committed.id)
    .where("t.modified", "=", committed.at)
    .orderBy("t.seq")
    .execute();
  return rows.flatMap((row) => {
    const kinds: TaskEventKind[] = [TASK_KINDS[row.status]];
    if (wanted.overdue?.includes(row.id)) kinds.push("taskOverdue");
    const task: HookTask = {
      id: row.id,
      name: row.name,
      type: row.type,
      status: row.status,
      attempt: row.attempt,
      assignees: row.assignees ?? [],
      exception: row.exception,
    };
    return kinds
      .filter((kind) => wanted.workflow.includes(kind) || wanted.worker.includes(kind))
      .map((kind) => {
        // The attempt tells a rerun's events from the first run's; the time, a due date passed again after a move.
        const again = kind === "taskOverdue" ? [committed.at.toISOString()] : [];
        const idempotencyKey = derivedId("event", kind, row.id, String(row.attempt), ...again);
        return { kind, idempotencyKey, ...base(committed, row.completed_by_user ?? wanted.user), task } as HookEvent;
      });
  });
}

/** Events not delivered yet: what a retried step hands to the interpreter again (at least once). */
export async function pendingEventIds(db: Reader, workflowId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("joeflow_event")
    .select("id")
    .where("workflow_id", "=", workflowId)
    .where("status", "=", "pending")
    .orderBy("created")
    .orderBy("id")
    .execute();
  return rows.map((row) => row.id);
}

export async function findEvent(db: Reader, id: string): Promise<EventRow | undefined> {
  return await db.selectFrom("joeflow_event").selectAll().where("id", "=", id).executeTakeFirst();
}

/** One delivery attempt's end: delivered, failed for good, or failed for now (pending, retried). */
export async function recordAttempt(
  db: Reader,
  id: string,
  attempt: { status: EventRow["status"]; attempts: number; error: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable("joeflow_event")
    .set({ status: attempt.status, attempts: attempt.attempts, last_error: attempt.error, modified: attempt.at })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .execute();
}

/** An instance's events that are not delivered (yet): retrying, or failed for good. */
export async function undeliveredEvents(db: Reader, workflowId: string): Promise<EventRow[]> {
  return await db
    .selectFrom("joeflow_event")
    .selectAll()
    .where("workflow_id", "=", workflowId)
    .where("status", "!=", "delivered")
    .orderBy("created")
    .orderBy("id")
    .execute();
}
