import { type Kysely, type RawBuilder, sql } from "kysely";
import { InvalidData, UnknownTask, UnknownWorkflow } from "../errors.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type { JoeflowDatabase, TaskRow } from "../store/schema.ts";
import type {
  ListOptions, ListTasksOptions, Page, StateChange, TaskSummary, TaskView, WorkflowSummary, WorkflowView,
} from "./types.ts";

type Db = Kysely<JoeflowDatabase>;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

export async function getWorkflow(db: Db, workflowId: string): Promise<WorkflowView> {
  const row = await db.selectFrom("joeflow_workflow").selectAll().where("id", "=", workflowId).executeTakeFirst();
  if (!row) throw new UnknownWorkflow(workflowId);
  const tasks = await db.selectFrom("joeflow_task").selectAll().where("workflow_id", "=", workflowId)
    .orderBy("seq").execute();
  return { ...workflowSummary(row), tasks: await taskViews(db, tasks) };
}

export async function getTask(db: Db, taskId: string): Promise<TaskSummary> {
  const row = await db.selectFrom("joeflow_task").innerJoin("joeflow_workflow as w", "w.id", "joeflow_task.workflow_id")
    .selectAll("joeflow_task").select("w.name as workflow_name").where("joeflow_task.id", "=", taskId).executeTakeFirst();
  if (!row) throw new UnknownTask(taskId);
  const [view] = await taskViews(db, [row]);
  return { ...view!, workflowName: row.workflow_name };
}

export async function listWorkflows(db: Db, options: ListOptions = {}): Promise<Page<WorkflowSummary>> {
  const limit = pageSize(options.limit);
  let query = db.selectFrom("joeflow_workflow").selectAll();
  if (options.name) query = query.where("name", "=", options.name);
  if (options.status) query = query.where("status", "=", options.status);
  const rows = await query.where(afterCursor("joeflow_workflow", options.cursor))
    .orderBy("created", "desc").orderBy("id", "desc").limit(limit + 1).execute();
  return page(rows.slice(0, limit).map(workflowSummary), rows.length > limit);
}

export async function listTasks(db: Db, options: ListTasksOptions = {}): Promise<Page<TaskSummary>> {
  const limit = pageSize(options.limit);
  let query = db.selectFrom("joeflow_task").innerJoin("joeflow_workflow as w", "w.id", "joeflow_task.workflow_id")
    .selectAll("joeflow_task").select("w.name as workflow_name");
  if (options.status) query = query.where("joeflow_task.status", "=", options.status);
  if (options.name) query = query.where("joeflow_task.name", "=", options.name);
  if (options.workflowId) query = query.where("joeflow_task.workflow_id", "=", options.workflowId);
  if (options.assignee) {
    const assignee = options.assignee;
    query = query.where((eb) => eb.exists(eb.selectFrom("joeflow_task_assignee as a").select("a.task_id")
      .whereRef("a.task_id", "=", "joeflow_task.id").where("a.user_id", "=", assignee)));
  }
  if (options.unassigned) {
    query = query.where((eb) => eb.not(eb.exists(eb.selectFrom("joeflow_task_assignee as a").select("a.task_id")
      .whereRef("a.task_id", "=", "joeflow_task.id"))));
  }
  if (options.type) query = query.where("joeflow_task.type", "=", options.type);
  const rows = await query.where(afterCursor("joeflow_task", options.cursor))
    .orderBy("joeflow_task.created", "desc").orderBy("joeflow_task.id", "desc").limit(limit + 1).execute();
  const views = await taskViews(db, rows.slice(0, limit));
  return page(views.map((view, i) => ({ ...view, workflowName: rows[i]!.workflow_name })), rows.length > limit);
}

export async function stateHistory(db: Db, workflowId: string): Promise<StateChange[]> {
  const exists = await db.selectFrom("joeflow_workflow").select("id").where("id", "=", workflowId).executeTakeFirst();
  if (!exists) throw new UnknownWorkflow(workflowId);
  const rows = await db.selectFrom("joeflow_state_change").selectAll().where("workflow_id", "=", workflowId).orderBy("id").execute();
  return rows.map((r) => ({
    taskId: r.task_id, taskName: r.task_name, user: r.user_id, at: new Date(r.at), before: r.before, after: r.after,
  }));
}

export async function graphByVersion(db: Db, version: string): Promise<CompiledGraph> {
  const row = await db.selectFrom("joeflow_graph").select("graph").where("version", "=", version).executeTakeFirst();
  if (!row) throw new UnknownWorkflow(`graph ${version}`);
  return row.graph as unknown as CompiledGraph;
}

function workflowSummary(row: { id: string; name: string; status: WorkflowView["status"]; state: Record<string, unknown>;
  graph_version: string; created: Date; modified: Date }): WorkflowSummary {
  return {
    id: row.id, name: row.name, status: row.status, state: row.state, graphVersion: row.graph_version,
    created: new Date(row.created), modified: new Date(row.modified),
  };
}

async function taskViews(db: Db, rows: readonly TaskRow[]): Promise<TaskView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const parents = await db.selectFrom("joeflow_task_parent").selectAll().where("task_id", "in", ids).execute();
  const assignees = await db.selectFrom("joeflow_task_assignee").selectAll().where("task_id", "in", ids).execute();
  return rows.map((r) => ({
    id: r.id, workflowId: r.workflow_id, name: r.name, type: r.type, status: r.status, attempt: r.attempt,
    parentIds: parents.filter((p) => p.task_id === r.id).map((p) => p.parent_id).sort(),
    assignees: assignees.filter((a) => a.task_id === r.id).map((a) => a.user_id).sort(),
    completedByUser: r.completed_by_user, created: new Date(r.created), modified: new Date(r.modified),
    completed: r.completed ? new Date(r.completed) : null, exception: r.exception, stacktrace: r.stacktrace,
  }));
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidData([{ path: ["limit"], message: `must be an integer from 1 to ${MAX_LIMIT}` }]);
  }
  return limit;
}

/** Rows after the cursor, the (created, id) of the last row of the previous page; newest first. */
function afterCursor(table: "joeflow_workflow" | "joeflow_task", cursor: string | null | undefined): RawBuilder<boolean> {
  if (!cursor) return sql<boolean>`true`;
  const [created, id] = decodeCursor(cursor);
  return sql<boolean>`(${sql.ref(`${table}.created`)}, ${sql.ref(`${table}.id`)}) < (${created}, ${id})`;
}

function page<T extends { created: Date; id: string }>(items: T[], more: boolean): Page<T> {
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor(last.created, last.id) : null };
}

function encodeCursor(created: Date, id: string): string {
  return btoa(JSON.stringify([created.toISOString(), id])).replaceAll("=", "");
}

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [created, id] = JSON.parse(atob(cursor)) as [string, string];
    const date = new Date(created);
    if (typeof id === "string" && !Number.isNaN(date.getTime())) return [date, id];
  } catch { /* reported below */ }
  throw new InvalidData([{ path: ["cursor"], message: "is not a cursor this list gave" }]);
}
