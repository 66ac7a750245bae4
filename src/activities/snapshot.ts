import type { OpenTask, Snapshot } from "../interpreter/protocol.ts";
import type { Db, Tx } from "./context.ts";

/** The instance's open tasks as the current transaction sees them. */
export async function readSnapshot(tx: Tx | Db, workflowId: string): Promise<Snapshot | null> {
  const workflow = await tx.selectFrom("joeflow_workflow").select(["revision", "status"])
    .where("id", "=", workflowId).executeTakeFirst();
  if (!workflow) return null;
  const rows = await tx.selectFrom("joeflow_task")
    .select(["id", "name", "type", "status", "created", "attempt"])
    .where("workflow_id", "=", workflowId).where("status", "in", ["scheduled", "failed"])
    .orderBy("seq").execute();
  const parents = rows.length === 0 ? [] : await tx.selectFrom("joeflow_task_parent as tp")
    .innerJoin("joeflow_task as p", "p.id", "tp.parent_id")
    .select(["tp.task_id", "p.name"])
    .where("tp.task_id", "in", rows.map((r) => r.id)).execute();
  const open: OpenTask[] = rows.map((row) => ({
    id: row.id,
    name: row.name,
    type: row.type,
    status: row.status as OpenTask["status"],
    created: new Date(row.created).getTime(),
    attempt: row.attempt,
    parentNames: parents.filter((p) => p.task_id === row.id).map((p) => p.name).sort(),
  }));
  return { revision: workflow.revision, status: workflow.status, open };
}
