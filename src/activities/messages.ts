import { sql } from "kysely";
import { pickFields, validateState } from "../definition/validate.ts";
import {
  type ErrorData, errorToData, JoeflowError, NotAssignee, ObsoleteTask, TaskNotOpen,
  UnknownTask, UnknownWorkflow,
} from "../errors.ts";
import { successors } from "../graph/types.ts";
import type { Outcome } from "../interpreter/protocol.ts";
import type { TaskRow, WorkflowRow } from "../store/schema.ts";
import { type ActivityContext, graphOf, lockWorkflow, recordStateChange, type Tx } from "./context.ts";
import { startNextTasks } from "./children.ts";
import { mustSnapshot } from "./machine.ts";
import { commitTransition, readSnapshot, type Transition } from "./snapshot.ts";

type Result = Outcome<{ taskId: string | null }>;

/** What a message did: the task it concerned, and the transition to commit (none for a retry's no-op). */
interface Applied {
  readonly taskId: string | null;
  readonly transition?: Transition;
}

/** Runs a message's transaction under the instance's lock; a JoeflowError rolls it back and is returned. */
async function underLock(
  ctx: ActivityContext,
  workflowId: string,
  apply: (tx: Tx, workflow: WorkflowRow) => Promise<Applied>,
): Promise<Result> {
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const workflow = await lockWorkflow(tx, workflowId);
      if (!workflow) throw new UnknownWorkflow(workflowId);
      const applied = await apply(tx, workflow);
      const snapshot = applied.transition
        ? await commitTransition(tx, workflowId, applied.transition)
        : await mustSnapshot(tx, workflowId);
      return { ok: true as const, snapshot, value: { taskId: applied.taskId } };
    });
  } catch (error) {
    if (!(error instanceof JoeflowError)) throw error;
    return { ok: false, snapshot: await readSnapshot(ctx.db, workflowId), error: errorToData(error) };
  }
}

async function taskOf(tx: Tx, workflow: WorkflowRow, taskId: string): Promise<TaskRow & { assignees: string[] }> {
  const task = await tx.selectFrom("joeflow_task as t").selectAll("t")
    // Its assignees in the same statement: a completion needs them, and a round trip costs more.
    .select(sql<string[] | null>`(select json_agg(a.user_id) from joeflow_task_assignee a where a.task_id = t.id)`
      .as("assignees"))
    .where("t.id", "=", taskId).where("t.workflow_id", "=", workflow.id).executeTakeFirst();
  if (!task) throw new UnknownTask(taskId, `not a task of ${workflow.id}`);
  return { ...task, assignees: task.assignees ?? [] };
}

/**
 * Whether this very message already committed: a retry after the commit (the worker died before it
 * reported) finds the task closed by the same user at the same workflow time, and must answer as the
 * first run did rather than "task not open".
 */
function appliedBefore(task: TaskRow, status: "succeeded" | "canceled", input: { user: string | null; at: number }): boolean {
  return task.status === status && task.completed !== null && new Date(task.completed).getTime() === input.at &&
    task.completed_by_user === input.user;
}

export interface CompleteHuman {
  readonly workflowId: string;
  readonly taskId: string;
  readonly data: Record<string, unknown>;
  readonly user: string | null;
  readonly next?: readonly string[];
  readonly at: number;
}

export async function completeHuman(ctx: ActivityContext, input: CompleteHuman): Promise<Result> {
  return await underLock(ctx, input.workflowId, async (tx, workflow) => {
    const task = await taskOf(tx, workflow, input.taskId);
    if (appliedBefore(task, "succeeded", input)) return { taskId: task.id };
    if (task.status !== "scheduled") throw new TaskNotOpen(task.id, task.status);
    if (task.type !== "human") throw new UnknownTask(task.name, "a machine task cannot be completed by hand");
    const graph = await graphOf(ctx, tx, workflow.graph_version);
    const compiled = graph.tasks[task.name];
    const definition = ctx.workflows.get(workflow.name);
    const current = definition?.graph.tasks[task.name];
    if (!definition || !compiled || (current?.kind !== "updateView" && current?.kind !== "startView")) {
      throw new ObsoleteTask(workflow.name, task.name);
    }
    if (task.assignees.length && !task.assignees.includes(input.user ?? "")) {
      throw new NotAssignee(task.id, input.user, task.assignees);
    }
    const fields = compiled.kind === "updateView" || compiled.kind === "startView" ? compiled.fields : [];
    const picked = pickFields(input.data, fields);
    const state = validateState(definition.state, { ...workflow.state, ...picked });
    const outgoing = successors(graph, task.name);
    const stray = (input.next ?? []).filter((name) => !outgoing.includes(name));
    if (stray.length) throw new UnknownTask(stray.join(", "), `not an outgoing edge of "${task.name}"`);
    const at = new Date(input.at);
    await tx.updateTable("joeflow_task")
      .set({ status: "succeeded", completed_by_user: input.user, completed: at, modified: at })
      .where("id", "=", task.id).execute();
    await recordStateChange(tx, {
      workflowId: workflow.id, taskId: task.id, taskName: task.name, user: input.user, at, before: workflow.state, after: state,
    });
    await startNextTasks(tx, {
      workflowId: workflow.id, graph, definition, parent: { id: task.id, name: task.name, completedByUser: input.user },
      names: input.next ? [...new Set(input.next)] : outgoing, state, at,
    });
    return { taskId: task.id, transition: { at, state } };
  });
}

export interface OverrideInput {
  readonly workflowId: string;
  readonly overrideTaskId: string;
  readonly state?: Record<string, unknown>;
  readonly next: readonly string[];
  readonly user: string | null;
  readonly at: number;
}

/** Cancels every open task, records the override task, merges the state and starts `next`. */
export async function override(ctx: ActivityContext, input: OverrideInput): Promise<Result> {
  return await underLock(ctx, input.workflowId, async (tx, workflow) => {
    const existing = await tx.selectFrom("joeflow_task").select("id").where("id", "=", input.overrideTaskId).executeTakeFirst();
    if (existing) return { taskId: existing.id }; // a retry after the commit
    const graph = await graphOf(ctx, tx, workflow.graph_version);
    const unknown = input.next.filter((name) => !(name in graph.tasks));
    if (unknown.length) throw new UnknownTask(unknown.join(", "), `not a task of workflow "${workflow.name}"`);
    const definition = ctx.workflows.get(workflow.name);
    if (!definition) throw new UnknownWorkflow(workflow.name);
    const state = validateState(definition.state, { ...workflow.state, ...(input.state ?? {}) });
    const at = new Date(input.at);
    const canceled = await cancelOpenTasks(tx, workflow.id, input.user, at);
    const parents = canceled.length ? canceled : await latestTask(tx, workflow.id);
    await tx.insertInto("joeflow_task").values({
      id: input.overrideTaskId, workflow_id: workflow.id, name: "override", type: "human", status: "succeeded", attempt: 1,
      completed_by_user: input.user, created: at, modified: at, completed: at, exception: null, stacktrace: null,
    }).execute();
    if (parents.length) {
      await tx.insertInto("joeflow_task_parent")
        .values(parents.map((parent_id) => ({ task_id: input.overrideTaskId, parent_id }))).execute();
    }
    await recordStateChange(tx, {
      workflowId: workflow.id, taskId: input.overrideTaskId, taskName: "override", user: input.user, at,
      before: workflow.state, after: state,
    });
    await startNextTasks(tx, {
      workflowId: workflow.id, graph, definition,
      parent: { id: input.overrideTaskId, name: "override", completedByUser: input.user },
      names: [...new Set(input.next)], state, at,
    });
    return { taskId: input.overrideTaskId, transition: { at, state } };
  });
}

async function cancelOpenTasks(tx: Tx, workflowId: string, user: string | null, at: Date): Promise<string[]> {
  const rows = await tx.updateTable("joeflow_task")
    .set({ status: "canceled", completed_by_user: user, completed: at, modified: at })
    .where("workflow_id", "=", workflowId).where("status", "in", ["scheduled", "failed"])
    .returning("id").execute();
  return rows.map((r) => r.id).sort();
}

async function latestTask(tx: Tx, workflowId: string): Promise<string[]> {
  const row = await tx.selectFrom("joeflow_task").select("id").where("workflow_id", "=", workflowId)
    .orderBy("seq", "desc").executeTakeFirst();
  return row ? [row.id] : [];
}

export interface TaskAction {
  readonly workflowId: string;
  readonly taskId: string;
  readonly user: string | null;
  readonly at: number;
}

/** Resets a failed task to scheduled (the same row, as joeflow's enqueue); the interpreter runs it. */
export async function rerun(ctx: ActivityContext, input: TaskAction): Promise<Result> {
  return await underLock(ctx, input.workflowId, async (tx, workflow) => {
    const task = await taskOf(tx, workflow, input.taskId);
    if (task.status === "scheduled" && new Date(task.modified).getTime() === input.at) return { taskId: task.id };
    if (task.status !== "failed") throw new TaskNotOpen(task.id, task.status);
    await tx.updateTable("joeflow_task")
      .set((eb) => ({ status: "scheduled", attempt: eb("attempt", "+", 1), exception: null, stacktrace: null, modified: new Date(input.at) }))
      .where("id", "=", task.id).execute();
    return { taskId: task.id, transition: { at: new Date(input.at) } };
  });
}

export async function cancelTask(ctx: ActivityContext, input: TaskAction): Promise<Result> {
  return await underLock(ctx, input.workflowId, async (tx, workflow) => {
    const task = await taskOf(tx, workflow, input.taskId);
    if (appliedBefore(task, "canceled", input)) return { taskId: task.id };
    if (task.status !== "scheduled" && task.status !== "failed") throw new TaskNotOpen(task.id, task.status);
    const at = new Date(input.at);
    await tx.updateTable("joeflow_task").set({ status: "canceled", completed_by_user: input.user, completed: at, modified: at })
      .where("id", "=", task.id).execute();
    return { taskId: task.id, transition: { at } };
  });
}

export async function cancelWorkflow(ctx: ActivityContext, input: Omit<TaskAction, "taskId">): Promise<Result> {
  return await underLock(ctx, input.workflowId, async (tx, workflow) => {
    const at = new Date(input.at);
    await cancelOpenTasks(tx, workflow.id, input.user, at);
    return { taskId: null, transition: { at, status: "canceled" } };
  });
}

export type { ErrorData };
