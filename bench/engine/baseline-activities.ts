/**
 * The baseline's activities: what a hand-written Temporal application would do for the same chain,
 * writing the very rows one joeflow machine step writes, in the same joeflow_ tables, in one
 * transaction per activity.
 *
 * One step (compare src/activities/machine.ts runTask):
 *   lock the workflow row FOR UPDATE, read the task row, run the step (state.count += 1),
 *   update the state jsonb + insert a joeflow_state_change row, mark the task succeeded,
 *   insert the next task row + its joeflow_task_parent link, bump the revision with the open-task
 *   count, read the open tasks.
 * What joeflow does on top (reads only): re-reading the state after the step, reading revision/status
 * again and the parents of the open tasks for its snapshot.
 */
import type { Kysely } from "kysely";
import { derivedId } from "../../src/graph/hash.ts";
import type { JoeflowDatabase } from "../../src/store/schema.ts";

export const BASELINE_NAME = "baseline";
export const BASELINE_GRAPH_VERSION = "baseline-chain-v1";

export interface BaselineCreate {
  readonly workflowId: string;
  readonly startTaskId: string;
  readonly firstTask: string;
  readonly at: number;
}

export interface BaselineStep {
  readonly workflowId: string;
  readonly taskId: string;
  /** The task after this one; null for the last. */
  readonly next: string | null;
  readonly at: number;
}

/** Called inside each step where joeflow calls the user's function (for the latency probe). */
export type StepProbe = (workflowId: string, taskName: string) => void;

export function createBaselineActivities(db: Kysely<JoeflowDatabase>, graphJson: string, probe: StepProbe = () => {}) {
  async function bump(tx: Kysely<JoeflowDatabase>, workflowId: string, at: Date): Promise<void> {
    const open = await tx.selectFrom("joeflow_task").select((eb) => eb.fn.countAll<string>().as("n"))
      .where("workflow_id", "=", workflowId).where("status", "in", ["scheduled", "failed"]).executeTakeFirstOrThrow();
    await tx.updateTable("joeflow_workflow")
      .set((eb) => ({ revision: eb("revision", "+", 1), status: Number(open.n) > 0 ? "running" : "done", modified: at }))
      .where("id", "=", workflowId).execute();
  }

  async function openTasks(tx: Kysely<JoeflowDatabase>, workflowId: string) {
    return await tx.selectFrom("joeflow_task").select(["id", "name", "type", "status", "created", "attempt"])
      .where("workflow_id", "=", workflowId).where("status", "in", ["scheduled", "failed"]).orderBy("seq").execute();
  }

  async function insertNext(tx: Kysely<JoeflowDatabase>, workflowId: string, parentId: string, name: string, at: Date) {
    const id = derivedId(parentId, name);
    await tx.insertInto("joeflow_task").values({
      id, workflow_id: workflowId, name, type: "machine", status: "scheduled", attempt: 1,
      completed_by_user: null, created: at, modified: at, completed: null, exception: null, stacktrace: null,
    }).onConflict((oc) => oc.column("id").doNothing()).execute();
    await tx.insertInto("joeflow_task_parent").values({ task_id: id, parent_id: parentId })
      .onConflict((oc) => oc.columns(["task_id", "parent_id"]).doNothing()).execute();
    return id;
  }

  return {
    /** The instance row, its finished start task, the first state change and the first task (createInstance). */
    async baselineCreate(input: BaselineCreate): Promise<string> {
      return await db.transaction().execute(async (tx) => {
        const existing = await tx.selectFrom("joeflow_workflow").select("id").where("id", "=", input.workflowId).executeTakeFirst();
        const firstId = derivedId(input.startTaskId, input.firstTask);
        if (existing) return firstId;
        const at = new Date(input.at);
        const state = { count: 0 };
        await tx.insertInto("joeflow_graph")
          .values({ version: BASELINE_GRAPH_VERSION, name: BASELINE_NAME, graph: graphJson, created: at })
          .onConflict((oc) => oc.column("version").doNothing()).execute();
        await tx.insertInto("joeflow_workflow").values({
          id: input.workflowId, name: BASELINE_NAME, status: "running", state: JSON.stringify(state),
          graph_version: BASELINE_GRAPH_VERSION, revision: 0, created: at, modified: at,
        }).execute();
        await tx.insertInto("joeflow_task").values({
          id: input.startTaskId, workflow_id: input.workflowId, name: "start", type: "machine", status: "succeeded",
          attempt: 1, completed_by_user: null, created: at, modified: at, completed: at, exception: null, stacktrace: null,
        }).execute();
        await tx.insertInto("joeflow_state_change").values({
          workflow_id: input.workflowId, task_id: input.startTaskId, task_name: "start", user_id: null, at,
          before: null, after: JSON.stringify(state),
        }).execute();
        await insertNext(tx, input.workflowId, input.startTaskId, input.firstTask, at);
        await bump(tx, input.workflowId, at);
        await openTasks(tx, input.workflowId);
        return firstId;
      });
    },

    /** One step; returns the next task's id (null after the last). */
    async baselineStep(input: BaselineStep): Promise<string | null> {
      return await db.transaction().execute(async (tx) => {
        const workflow = await tx.selectFrom("joeflow_workflow").selectAll().where("id", "=", input.workflowId)
          .forUpdate().executeTakeFirst();
        const task = await tx.selectFrom("joeflow_task").selectAll().where("id", "=", input.taskId).executeTakeFirst();
        if (!workflow || !task) throw new Error(`baseline: no instance ${input.workflowId} or task ${input.taskId}`);
        if (task.status !== "scheduled") return input.next === null ? null : derivedId(task.id, input.next); // a retry
        const at = new Date(input.at);
        probe(input.workflowId, task.name);
        const before = workflow.state as { count: number };
        const after = { ...before, count: before.count + 1 };
        await tx.updateTable("joeflow_workflow").set({ state: JSON.stringify(after) }).where("id", "=", workflow.id).execute();
        await tx.insertInto("joeflow_state_change").values({
          workflow_id: workflow.id, task_id: task.id, task_name: task.name, user_id: null, at,
          before: JSON.stringify(before), after: JSON.stringify(after),
        }).execute();
        await tx.updateTable("joeflow_task").set({ status: "succeeded", completed: at, modified: at })
          .where("id", "=", task.id).execute();
        const nextId = input.next === null ? null : await insertNext(tx, workflow.id, task.id, input.next, at);
        await bump(tx, workflow.id, at);
        await openTasks(tx, workflow.id);
        return nextId;
      });
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
