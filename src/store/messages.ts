/**
 * The messages an instance has applied, by id: a message delivered twice (a retried local activity,
 * a workflow task replayed after the server refused it) finds its own record and answers as the
 * first delivery did, instead of "task not open".
 */
import type { Reader, Tx } from "./db.ts";
import type { MessageRecord } from "./views.ts";

export interface AppliedMessage {
  readonly id: string;
  readonly workflowId: string;
  readonly name: string;
  readonly taskId: string | null;
  readonly user: string | null;
  readonly at: Date;
}

/** The record of this message, if it was applied. */
export async function findMessage(
  db: Reader,
  workflowId: string,
  messageId: string,
): Promise<{ taskId: string | null } | undefined> {
  const row = await db
    .selectFrom("joeflow_message")
    .select("task_id")
    .where("id", "=", messageId)
    .where("workflow_id", "=", workflowId)
    .executeTakeFirst();
  return row && { taskId: row.task_id };
}

/** The messages an instance applied, oldest first, with the name of the task each concerned. */
export async function readMessages(db: Reader, workflowId: string): Promise<MessageRecord[]> {
  const rows = await db
    .selectFrom("joeflow_message as m")
    .leftJoin("joeflow_task as t", "t.id", "m.task_id")
    .select(["m.name", "m.task_id", "t.name as task_name", "m.user_id", "m.at"])
    .where("m.workflow_id", "=", workflowId)
    .orderBy("m.at")
    .orderBy("m.id")
    .execute();
  return rows.map((r) => ({
    name: r.name,
    taskId: r.task_id,
    taskName: r.task_name,
    user: r.user_id,
    at: new Date(r.at),
  }));
}

export async function recordMessage(tx: Tx, message: AppliedMessage): Promise<void> {
  await tx
    .insertInto("joeflow_message")
    .values({
      id: message.id,
      workflow_id: message.workflowId,
      name: message.name,
      task_id: message.taskId,
      user_id: message.user,
      at: message.at,
    })
    .execute();
}
