/** What people and programs read: instances, tasks and pages of them, newest first. */
import { UnknownTask, UnknownWorkflow } from "../errors.ts";
import type { CompiledGraph } from "../graph/types.ts";
import { UUID_PATTERN } from "../ids.ts";
import type { Reader } from "./db.ts";
import { undeliveredEvents } from "./events.ts";
import { readHistory } from "./history.ts";
import { findGraph } from "./instances.ts";
import { afterCursor, checkFilters, page, pageSize } from "./paging.ts";
import { LINKS, tasksWithWorkflowName, taskSummary, taskView, workflowSummary } from "./rows.ts";
import type {
  HookDelivery,
  ListOptions,
  ListTasksOptions,
  Page,
  StateChange,
  TaskSummary,
  WorkflowSummary,
  WorkflowView,
} from "./views.ts";

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
  return taskSummary(row);
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
  return page(rows.slice(0, limit).map(taskSummary), rows.length > limit);
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
