/** Due dates of open human tasks: a person moves one, the interpreter marks one passed (escalated). */
import type { Tx } from "./db.ts";

/** A new due date (null: none); the task may pass it again, so it is no longer escalated. */
export async function setTaskDue(tx: Tx, taskId: string, due: Date | null, at: Date): Promise<void> {
  await tx.updateTable("joeflow_task").set({ due, escalated: null, modified: at }).where("id", "=", taskId).execute();
}

/** Its due date passed and its `onDue` was applied: the interpreter arms no timer for it again. */
export async function markEscalated(tx: Tx, taskId: string, at: Date): Promise<void> {
  await tx.updateTable("joeflow_task").set({ escalated: at, modified: at }).where("id", "=", taskId).execute();
}
