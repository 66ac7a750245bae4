/** A machine step's statements: the instance locked and the task read in one, its writes in one. */
import { type QueryCreator, sql } from "kysely";
import type { Tx } from "./db.ts";
import { isChange, type StateChangeRecord, stateChangeRow } from "./history.ts";
import type { JoeflowDatabase, TaskRow, WorkflowRow } from "./schema.ts";
import { closedRow, type NewTask, taskRow } from "./tasks.ts";

/**
 * Locks the instance's row (as lockInstance) and reads the task with it: one round trip where a
 * step used to make two. The task comes as JSON (its times as ISO strings, which `new Date` reads).
 */
export async function lockForStep(
  tx: Tx,
  workflowId: string,
  taskId: string,
): Promise<{ workflow: WorkflowRow; task: TaskRow | undefined } | undefined> {
  const row = await tx
    .selectFrom("joeflow_workflow as w")
    .selectAll("w")
    .select(
      sql<TaskRow | null>`(select to_jsonb(t) from joeflow_task t
        where t.id = ${taskId} and t.workflow_id = w.id)`.as("step_task"),
    )
    .where("w.id", "=", workflowId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return undefined;
  const { step_task: task, ...workflow } = row;
  return { workflow, task: task ?? undefined };
}

/** What a machine step writes: its task closed, the state change (if any), and the one task it starts. */
export interface StepWrites {
  readonly taskId: string;
  readonly at: Date;
  readonly change?: StateChangeRecord;
  /** The task it starts and links to it (never a join: a join may exist already, and is found first). */
  readonly next?: NewTask;
}

/**
 * A step's writes in one statement, where they took up to four: data-modifying CTEs, none of which
 * reads what another writes (the parent link's foreign key is checked at the statement's end, when
 * the new task is there). The revision's bump, which reads the open tasks, comes after, on its own.
 */
export async function writeStep(tx: Tx, step: StepWrites): Promise<void> {
  const close = closedRow({ status: "succeeded", user: null, at: step.at });
  const change = step.change && isChange(step.change) ? stateChangeRow(step.change) : undefined;
  // The CTE adds a table "change" to the builder's type that nothing reads: the plain type does.
  const base = change
    ? (tx.with("change", (qb) =>
        qb.insertInto("joeflow_state_change").values(change),
      ) as unknown as QueryCreator<JoeflowDatabase>)
    : tx;
  const { next } = step;
  if (!next) {
    await base.updateTable("joeflow_task").set(close).where("id", "=", step.taskId).execute();
    return;
  }
  await base
    .with("closed", (qb) => qb.updateTable("joeflow_task").set(close).where("id", "=", step.taskId))
    .with("next", (qb) =>
      qb
        .insertInto("joeflow_task")
        .values(taskRow(next))
        .onConflict((oc) => oc.column("id").doNothing()),
    )
    .insertInto("joeflow_task_parent")
    .values({ task_id: next.id, parent_id: step.taskId })
    .onConflict((oc) => oc.columns(["task_id", "parent_id"]).doNothing())
    .execute();
}
