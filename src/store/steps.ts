/** What a machine step reads first: the instance's row, locked, and the task it runs, in one statement. */
import { sql } from "kysely";
import type { Tx } from "./db.ts";
import type { TaskRow, WorkflowRow } from "./schema.ts";

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
