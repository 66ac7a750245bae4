/** What people and programs read: instances, tasks and pages of them, newest first. */
import { type RawBuilder, sql } from "kysely";
import { InvalidData, UnknownTask, UnknownWorkflow } from "../errors.ts";
import type { CompiledGraph } from "../graph/types.ts";
import { UUID_PATTERN } from "../ids.ts";
import type { Reader } from "./db.ts";
import { undeliveredEvents } from "./events.ts";
import { readHistory } from "./history.ts";
import { findGraph } from "./instances.ts";
import type { TaskRow, WorkflowRow } from "./schema.ts";
import type {
  HookDelivery,
  ListOptions,
  ListTasksOptions,
  Page,
  StateChange,
  TaskSummary,
  TaskView,
  WorkflowSummary,
  WorkflowView,
} from "./views.ts";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

export async function getWorkflow(db: Reader, workflowId: string): Promise<WorkflowView> {
  const row = UUID_PATTERN.test(workflowId)
    ? await db.selectFrom("joeflow_workflow").selectAll().where("id", "=", workflowId).executeTakeFirst()
    : undefined;
  if (!row) throw new UnknownWorkflow(workflowId);
  const tasks = await db
    .selectFrom("joeflow_task as t")
    .selectAll("t")
    .select(LINKS)
    .where("t.workflow_id", "=", workflowId)
    .orderBy("t.seq")
    .execute();
  const hooks = (await undeliveredEvents(db, workflowId)).map((event) => ({
    id: event.id,
    kind: event.kind,
    target: event.target,
    taskId: event.task_id,
    status: event.status as HookDelivery["status"],
    attempts: event.attempts,
    lastError: event.last_error,
    created: new Date(event.created),
    modified: new Date(event.modified),
  }));
  return { ...workflowSummary(row), tasks: tasks.map(taskView), hooks };
}

/** One task with its workflow's name, in one statement. */
export async function getTask(db: Reader, taskId: string): Promise<TaskSummary> {
  const row = UUID_PATTERN.test(taskId)
    ? await tasksWithWorkflowName(db).where("t.id", "=", taskId).executeTakeFirst()
    : undefined;
  if (!row) throw new UnknownTask(taskId);
  return { ...taskView(row), workflowName: row.workflow_name };
}

export async function listWorkflows(db: Reader, options: ListOptions = {}): Promise<Page<WorkflowSummary>> {
  const limit = pageSize(options.limit);
  checkFilters({ name: options.name });
  let query = db.selectFrom("joeflow_workflow").selectAll();
  if (options.name) query = query.where("name", "=", options.name);
  if (options.status) query = query.where("status", "=", options.status);
  const rows = await query
    .where(afterCursor("joeflow_workflow", options.cursor))
    .orderBy("created", "desc")
    .orderBy("id", "desc")
    .limit(limit + 1)
    .execute();
  return page(rows.slice(0, limit).map(workflowSummary), rows.length > limit);
}

export async function listTasks(db: Reader, options: ListTasksOptions = {}): Promise<Page<TaskSummary>> {
  const limit = pageSize(options.limit);
  checkFilters({ name: options.name, assignee: options.assignee, workflowId: options.workflowId });
  let query = tasksWithWorkflowName(db);
  if (options.status) query = query.where("t.status", "=", options.status);
  if (options.name) query = query.where("t.name", "=", options.name);
  if (options.workflowId) query = query.where("t.workflow_id", "=", options.workflowId);
  if (options.type) query = query.where("t.type", "=", options.type);
  const { assignee, unassigned } = options;
  if (assignee) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("joeflow_task_assignee as a")
          .select("a.task_id")
          .whereRef("a.task_id", "=", "t.id")
          .where("a.user_id", "=", assignee),
      ),
    );
  }
  if (unassigned) {
    query = query.where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom("joeflow_task_assignee as a").select("a.task_id").whereRef("a.task_id", "=", "t.id")),
      ),
    );
  }
  const rows = await query
    .where(afterCursor("t", options.cursor))
    .orderBy("t.created", "desc")
    .orderBy("t.id", "desc")
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((row) => ({ ...taskView(row), workflowName: row.workflow_name }));
  return page(items, rows.length > limit);
}

export async function stateHistory(db: Reader, workflowId: string): Promise<StateChange[]> {
  const exists = UUID_PATTERN.test(workflowId)
    ? await db.selectFrom("joeflow_workflow").select("id").where("id", "=", workflowId).executeTakeFirst()
    : undefined;
  if (!exists) throw new UnknownWorkflow(workflowId);
  return await readHistory(db, workflowId);
}

export async function graphByVersion(db: Reader, version: string): Promise<CompiledGraph> {
  const graph = await findGraph(db, version);
  if (!graph) throw new UnknownWorkflow(`graph ${version}`);
  return graph;
}

function tasksWithWorkflowName(db: Reader) {
  return db
    .selectFrom("joeflow_task as t")
    .innerJoin("joeflow_workflow as w", "w.id", "t.workflow_id")
    .selectAll("t")
    .select("w.name as workflow_name")
    .select(LINKS);
}

type Links = { parent_ids: string[] | null; assignee_ids: string[] | null };

/** A task's parents and assignees, selected with it: one round trip per read, not three. */
const LINKS = [
  sql<string[] | null>`(select json_agg(p.parent_id order by p.parent_id collate "C") from joeflow_task_parent p
    where p.task_id = t.id)`.as("parent_ids"),
  sql<string[] | null>`(select json_agg(a.user_id order by a.user_id collate "C") from joeflow_task_assignee a
    where a.task_id = t.id)`.as("assignee_ids"),
];

function workflowSummary(row: WorkflowRow): WorkflowSummary {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    state: row.state,
    graphVersion: row.graph_version,
    created: new Date(row.created),
    modified: new Date(row.modified),
  };
}

function taskView(r: TaskRow & Links): TaskView {
  return {
    id: r.id,
    workflowId: r.workflow_id,
    name: r.name,
    type: r.type,
    status: r.status,
    attempt: r.attempt,
    parentIds: r.parent_ids ?? [],
    assignees: r.assignee_ids ?? [],
    completedByUser: r.completed_by_user,
    created: new Date(r.created),
    modified: new Date(r.modified),
    completed: r.completed ? new Date(r.completed) : null,
    exception: r.exception,
    stacktrace: r.stacktrace,
  };
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidData([{ path: ["limit"], message: `must be an integer from 1 to ${MAX_LIMIT}` }]);
  }
  return limit;
}

/** Rows after the cursor, the (created, id) of the last row of the previous page; newest first. */
function afterCursor(table: "joeflow_workflow" | "t", cursor: string | null | undefined): RawBuilder<boolean> {
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
    const [created, id] = JSON.parse(atob(cursor)) as unknown[];
    // Only what encodeCursor writes: a time as toISOString gives it, of a year from 1 to 9999 (a
    // far-future "+099999-…" or a year 0 parses here but not in PostgreSQL), and a UUID.
    if (typeof created === "string" && typeof id === "string" && UUID_PATTERN.test(id)) {
      const date = new Date(created);
      if (/^(?!0000)\d{4}-/.test(created) && !Number.isNaN(date.getTime()) && date.toISOString() === created)
        return [date, id];
    }
  } catch {
    /* reported below */
  }
  throw new InvalidData([{ path: ["cursor"], message: "is not a cursor this list gave" }]);
}

/**
 * Filters the database could not even compare: text with a NUL character, which PostgreSQL refuses
 * (a 500 before), is InvalidData; an instance id that is no UUID is InvalidData too, as it can match nothing.
 */
function checkFilters(filters: Readonly<Record<string, string | undefined>>): void {
  const issues = Object.entries(filters).flatMap(([key, value]) => {
    if (value === undefined) return [];
    if (value.includes("\u0000")) return [{ path: [key], message: "contains a NUL character" }];
    if (key === "workflowId" && !UUID_PATTERN.test(value)) return [{ path: [key], message: "is not an instance id" }];
    return [];
  });
  if (issues.length > 0) throw new InvalidData(issues);
}
