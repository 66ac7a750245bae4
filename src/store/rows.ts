/** Rows as the lists read them: a task with its links and its instance's name and title, an instance's summary. */
import { sql } from "kysely";
import type { Reader } from "./db.ts";
import type { TaskRow, WorkflowRow } from "./schema.ts";
import type { TaskSummary, TaskView, WorkflowSummary } from "./views.ts";

export function tasksWithWorkflowName(db: Reader) {
  return db
    .selectFrom("joeflow_task as t")
    .innerJoin("joeflow_workflow as w", "w.id", "t.workflow_id")
    .selectAll("t")
    .select(["w.name as workflow_name", "w.title as workflow_title"])
    .select(LINKS);
}

type Links = { parent_ids: string[] | null; assignee_ids: string[] | null; group_ids: string[] | null };

/** A task's parents, assignees and groups, selected with it: one round trip per read, not three. */
export const LINKS = [
  sql<string[] | null>`(select json_agg(p.parent_id order by p.parent_id collate "C") from joeflow_task_parent p
    where p.task_id = t.id)`.as("parent_ids"),
  sql<string[] | null>`(select json_agg(a.user_id order by a.user_id collate "C") from joeflow_task_assignee a
    where a.task_id = t.id)`.as("assignee_ids"),
  sql<string[] | null>`(select json_agg(g.group_id order by g.group_id collate "C") from joeflow_task_group g
    where g.task_id = t.id)`.as("group_ids"),
];

export function workflowSummary(row: WorkflowRow): WorkflowSummary {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    status: row.status,
    state: row.state,
    graphVersion: row.graph_version,
    created: new Date(row.created),
    modified: new Date(row.modified),
    ...(row.parent_workflow_id && row.parent_task_id
      ? { parent: { workflowId: row.parent_workflow_id, taskId: row.parent_task_id } }
      : {}),
  };
}

/** A task of tasksWithWorkflowName as the lists give it. */
export function taskSummary(row: TaskRow & Links & { workflow_name: string; workflow_title: string }): TaskSummary {
  return { ...taskView(row), workflowName: row.workflow_name, workflowTitle: row.workflow_title };
}

export function taskView(r: TaskRow & Links): TaskView {
  return {
    id: r.id,
    workflowId: r.workflow_id,
    name: r.name,
    type: r.type,
    status: r.status,
    attempt: r.attempt,
    parentIds: r.parent_ids ?? [],
    assignees: r.assignee_ids ?? [],
    groups: r.group_ids ?? [],
    claimedBy: r.claimed_by,
    completedByUser: r.completed_by_user,
    created: new Date(r.created),
    modified: new Date(r.modified),
    completed: r.completed ? new Date(r.completed) : null,
    exception: r.exception,
    stacktrace: r.stacktrace,
    due: r.due ? new Date(r.due) : null,
    // Past due by this clock, or found so by the interpreter's (a test's may run ahead).
    overdue:
      r.status === "scheduled" && r.due !== null && (r.escalated !== null || new Date(r.due).getTime() <= Date.now()),
    ...(r.child_workflow_id ? { childWorkflowId: r.child_workflow_id } : {}),
  };
}
