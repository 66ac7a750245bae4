import { sql } from "kysely";
import type { OpenTask, Snapshot } from "../interpreter/protocol.ts";
import type { WorkflowStatus } from "../store/schema.ts";
import type { Db, Tx } from "./context.ts";

const OPEN = ["scheduled", "failed"] as const;

/** The instance's open tasks as the current transaction sees them. */
export async function readSnapshot(tx: Tx | Db, workflowId: string): Promise<Snapshot | null> {
  const workflow = await tx.selectFrom("joeflow_workflow").select(["revision", "status"])
    .where("id", "=", workflowId).executeTakeFirst();
  if (!workflow) return null;
  return { revision: workflow.revision, status: workflow.status, open: await openTasks(tx, workflowId) };
}

export interface Transition {
  readonly at: Date;
  /** The instance's new state, when the transition computed one. */
  readonly state?: Record<string, unknown>;
  /** Forces the status; otherwise "running" while a task is open, else "done". */
  readonly status?: "canceled";
}

/**
 * Ends every transition: one statement bumps the revision, settles the status and stores the state,
 * and one reads the open tasks back for the interpreter. A step is a handful of statements, so two
 * saved here are a good share of its time.
 */
export async function commitTransition(tx: Tx, workflowId: string, transition: Transition): Promise<Snapshot> {
  const row = await tx.updateTable("joeflow_workflow")
    .set((eb) => ({
      revision: eb("revision", "+", 1),
      status: transition.status ?? eb.case()
        .when(eb.exists(eb.selectFrom("joeflow_task as open").select(eb.lit(1).as("one"))
          .whereRef("open.workflow_id", "=", "joeflow_workflow.id").where("open.status", "in", OPEN)))
        .then(eb.val<WorkflowStatus>("running")).else(eb.val<WorkflowStatus>("done")).end(),
      modified: transition.at,
      ...(transition.state ? { state: JSON.stringify(transition.state) } : {}),
    }))
    .where("id", "=", workflowId)
    .returning(["revision", "status"])
    .executeTakeFirstOrThrow();
  return { revision: row.revision, status: row.status, open: await openTasks(tx, workflowId) };
}

async function openTasks(tx: Tx | Db, workflowId: string): Promise<OpenTask[]> {
  const rows = await tx.selectFrom("joeflow_task as t")
    .select(["t.id", "t.name", "t.type", "t.status", "t.created", "t.attempt"])
    // Parent names in the same statement: joins need them, and a second round trip costs more than the subquery.
    .select(sql<string[] | null>`(select json_agg(p.name) from joeflow_task_parent tp
      join joeflow_task p on p.id = tp.parent_id where tp.task_id = t.id)`.as("parent_names"))
    .where("t.workflow_id", "=", workflowId).where("t.status", "in", OPEN)
    .orderBy("t.seq").execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    type: row.type,
    status: row.status as OpenTask["status"],
    created: new Date(row.created).getTime(),
    attempt: row.attempt,
    parentNames: [...(row.parent_names ?? [])].sort(),
  }));
}
