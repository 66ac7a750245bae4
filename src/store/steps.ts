/** A machine step's statements: the instance locked and the task read in one, its writes in one. */
import { type QueryCreator, sql } from "kysely";
import type { Tx } from "./db.ts";
import { isChange, type StateChangeRecord, stateChangeRow } from "./history.ts";
import type { JoeflowDatabase, TaskRow, WorkflowRow, WorkflowStatus } from "./schema.ts";
import { closedRow, type NewTask, taskRow } from "./tasks.ts";

/**
 * Locks the instance's row (as lockInstance) and reads the task with it: one round trip where a
 * step used to make two. The task comes as JSON (its times as ISO strings, which `new Date` reads).
 */
export async function lockForStep(
  tx: Tx,
  workflowId: string,
  taskId: string,
): Promise<{ workflow: WorkflowRow; task: TaskRow | undefined } | undefined> {
  const row = await tx
    .selectFrom("joeflow_workflow as w")
    .selectAll("w")
    .select(
      sql<TaskRow | null>`(select to_jsonb(t) from joeflow_task t
        where t.id = ${taskId} and t.workflow_id = w.id)`.as("step_task"),
    )
    .where("w.id", "=", workflowId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return undefined;
  const { step_task: task, ...workflow } = row;
  return { workflow, task: task ?? undefined };
}

/** What a machine step writes: its task closed, the state change (if any), and the one task it starts. */
export interface StepWrites {
  readonly workflowId: string;
  readonly taskId: string;
  readonly at: Date;
  readonly change?: StateChangeRecord;
  /** The task it starts and links to it (never a join: a join may exist already, and is found first). */
  readonly next?: NewTask;
  /**
   * The instance's new revision in the same statement (its state and title with it), when nothing
   * else of the transition needs the row as it was (hook events do): one round trip less per step.
   */
  readonly commit?: { readonly state?: Record<string, unknown>; readonly title?: string };
}

/**
 * A step's writes in one statement, where they took up to five: data-modifying CTEs, none of which
 * reads what another writes (the parent link's foreign key is checked at the statement's end, when
 * the new task is there). With `commit`, the revision's bump is the statement's own update: all its
 * parts see the tables as they were, so "still running" is "it starts a task, or another one is open".
 */
export async function writeStep(tx: Tx, step: StepWrites): Promise<Committed | undefined> {
  const close = closedRow({ status: "succeeded", user: null, at: step.at });
  const change = step.change && isChange(step.change) ? stateChangeRow(step.change) : undefined;
  // The CTEs add tables to the builder's type that nothing reads: the plain type does.
  let base = tx as unknown as QueryCreator<JoeflowDatabase>;
  if (change) base = base.with("change", (qb) => qb.insertInto("joeflow_state_change").values(change)) as never;
  const { next, commit } = step;
  if (!next && !commit) {
    await base.updateTable("joeflow_task").set(close).where("id", "=", step.taskId).execute();
    return undefined;
  }
  base = base.with("closed", (qb) => qb.updateTable("joeflow_task").set(close).where("id", "=", step.taskId)) as never;
  if (next) base = withNext(base, next, step.taskId);
  if (!commit) {
    // Data-modifying CTEs run whether or not the statement reads them.
    await base.selectNoFrom(sql<number>`1`.as("one")).execute();
    return undefined;
  }
  const running = next
    ? sql<WorkflowStatus>`'running'`
    : sql<WorkflowStatus>`case when exists (select 1 from joeflow_task o where o.workflow_id = joeflow_workflow.id
        and o.status in ('scheduled', 'failed') and o.id <> ${step.taskId}) then 'running' else 'done' end`;
  return await base
    .updateTable("joeflow_workflow")
    .set((eb) => ({
      revision: eb("revision", "+", 1),
      status: running,
      modified: step.at,
      ...(commit.state ? { state: JSON.stringify(commit.state) } : {}),
      ...(commit.title === undefined ? {} : { title: commit.title }),
    }))
    .where("id", "=", step.workflowId)
    .returning(["revision", "status"])
    .executeTakeFirstOrThrow();
}

/** The task a step starts (unless a retry made it already), and its link to the step's task. */
function withNext(base: QueryCreator<JoeflowDatabase>, next: NewTask, taskId: string): QueryCreator<JoeflowDatabase> {
  return base
    .with("next", (qb) =>
      qb
        .insertInto("joeflow_task")
        .values(taskRow(next))
        .onConflict((oc) => oc.column("id").doNothing()),
    )
    .with("link", (qb) =>
      qb
        .insertInto("joeflow_task_parent")
        .values({ task_id: next.id, parent_id: taskId })
        .onConflict((oc) => oc.columns(["task_id", "parent_id"]).doNothing()),
    ) as never;
}

/** The instance's revision and status after a step committed in its writes' statement. */
export interface Committed {
  readonly revision: number;
  readonly status: WorkflowStatus;
}
