/** Sub-workflows in the tables: which child a subflow task started, and how a child instance ended. */
import type { Reader, Tx } from "./db.ts";
import type { WorkflowStatus } from "./schema.ts";

/** Records the child a subflow task's attempt started; a retried transaction writes the same id. */
export async function setChildWorkflow(tx: Tx, taskId: string, childId: string, at: Date): Promise<void> {
  await tx
    .updateTable("joeflow_task")
    .set({ child_workflow_id: childId, modified: at })
    .where("id", "=", taskId)
    .execute();
}

/** A child instance's status and state, read by its parent when it ends; undefined when it was never made. */
export async function findChildInstance(
  db: Reader,
  childId: string,
): Promise<{ status: WorkflowStatus; state: Record<string, unknown> } | undefined> {
  return await db
    .selectFrom("joeflow_workflow")
    .select(["status", "state"])
    .where("id", "=", childId)
    .executeTakeFirst();
}
