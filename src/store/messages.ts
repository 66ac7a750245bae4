/**
 * The messages an instance has applied, by id: a message delivered twice (a retried local activity,
 * a workflow task replayed after the server refused it) finds its own record and answers as the
 * first delivery did, instead of "task not open".
 */
import type { Reader, Tx } from "./db.ts";

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
