import type { Kysely, Transaction } from "kysely";
import type { AnyWorkflow } from "../definition/define.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type { JoeflowDatabase, WorkflowRow } from "../store/schema.ts";

export type Db = Kysely<JoeflowDatabase>;
export type Tx = Transaction<JoeflowDatabase>;

/** What every activity works with: the database and the definitions of this worker. */
export interface ActivityContext {
  readonly db: Db;
  readonly workflows: ReadonlyMap<string, AnyWorkflow>;
  readonly graphs: Map<string, CompiledGraph>;
}

export function activityContext(db: Db, workflows: readonly AnyWorkflow[]): ActivityContext {
  return { db, workflows: new Map(workflows.map((w) => [w.name, w])), graphs: new Map() };
}

/**
 * Locks the instance's row for the rest of the transaction, so tasks of one instance that write
 * state are serialized (joeflow's select_for_update on the workflow).
 */
export async function lockWorkflow(tx: Tx, workflowId: string): Promise<WorkflowRow | undefined> {
  return await tx.selectFrom("joeflow_workflow").selectAll().where("id", "=", workflowId).forUpdate().executeTakeFirst();
}

/** The graph an instance runs; graphs never change once stored, so they are cached by version. */
export async function graphOf(ctx: ActivityContext, tx: Tx | Db, version: string): Promise<CompiledGraph> {
  const cached = ctx.graphs.get(version);
  if (cached) return cached;
  const row = await tx.selectFrom("joeflow_graph").select("graph").where("version", "=", version).executeTakeFirstOrThrow();
  const graph = row.graph as unknown as CompiledGraph;
  ctx.graphs.set(version, graph);
  return graph;
}

/**
 * Adds the state change to the history when the state did change; the state itself is stored by
 * commitTransition, in the statement that bumps the revision.
 */
export async function recordStateChange(
  tx: Tx,
  change: { workflowId: string; taskId: string; taskName: string; user: string | null; at: Date;
    before: Record<string, unknown> | null; after: Record<string, unknown> },
): Promise<boolean> {
  if (change.before && canonicalJson(change.before) === canonicalJson(change.after)) return false;
  await tx.insertInto("joeflow_state_change").values({
    workflow_id: change.workflowId,
    task_id: change.taskId,
    task_name: change.taskName,
    user_id: change.user,
    at: change.at,
    before: change.before === null ? null : JSON.stringify(change.before),
    after: JSON.stringify(change.after),
  }).execute();
  return true;
}

/** JSON with object keys sorted: PostgreSQL's jsonb keeps its own key order, zod the schema's. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v);
}
