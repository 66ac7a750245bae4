/** The history of an instance's state: one row per change, with its task, user and time. */
import type { StateChange } from "./views.ts";
import type { Reader, Tx } from "./db.ts";

/** A change of an instance's state, to record. */
export type StateChangeRecord = StateChange & { readonly workflowId: string };

/**
 * Adds the state change to the history when the state did change; the state itself is stored by
 * commitTransition, in the statement that bumps the revision. Answers whether it changed.
 */
export async function recordStateChange(tx: Tx, change: StateChangeRecord): Promise<boolean> {
  if (!isChange(change)) return false;
  await tx.insertInto("joeflow_state_change").values(stateChangeRow(change)).execute();
  return true;
}

/** Whether the state changed at all: only a change is recorded. */
export function isChange(change: StateChangeRecord): boolean {
  return !change.before || canonicalJson(change.before) !== canonicalJson(change.after);
}

/** The history's row of a change (a machine step writes it in the statement that closes its task). */
export function stateChangeRow(change: StateChangeRecord) {
  return {
    workflow_id: change.workflowId,
    task_id: change.taskId,
    task_name: change.taskName,
    user_id: change.user,
    at: change.at,
    before: change.before === null ? null : JSON.stringify(change.before),
    after: JSON.stringify(change.after),
  };
}

/** The instance's state changes, oldest first. */
export async function readHistory(db: Reader, workflowId: string): Promise<StateChange[]> {
  const rows = await db
    .selectFrom("joeflow_state_change")
    .selectAll()
    .where("workflow_id", "=", workflowId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    taskId: r.task_id,
    taskName: r.task_name,
    user: r.user_id,
    at: new Date(r.at),
    before: r.before,
    after: r.after,
  }));
}

/** JSON with object keys sorted: PostgreSQL's jsonb keeps its own key order, zod the schema's. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
