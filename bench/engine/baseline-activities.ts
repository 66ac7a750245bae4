/**
 * The baseline's activities: what a hand-written Temporal application would do for the same chain,
 * writing the rows one joeflow machine step writes, in the same joeflow_ tables, one transaction per
 * activity. One step: lock the workflow row FOR UPDATE, read the task, run the step (count += 1),
 * update the state and insert the state change, mark the task succeeded, insert the next task and
 * its parent link, bump the revision with the open-task count, read the open tasks.
 */
import type { Kysely } from "kysely";
import type { JoeflowDatabase } from "joeflow";

type Db = Kysely<JoeflowDatabase>;
interface Task {
  id: string;
  name: string;
}

export const BASELINE_NAME = "baseline";
const GRAPH_VERSION = "baseline-chain-v1";

async function insertTask(tx: Db, workflowId: string, parentId: string, task: Task, at: Date): Promise<void> {
  await tx
    .insertInto("joeflow_task")
    .values({
      id: task.id,
      workflow_id: workflowId,
      name: task.name,
      type: "machine",
      status: "scheduled",
      attempt: 1,
      completed_by_user: null,
      created: at,
      modified: at,
      completed: null,
      exception: null,
      stacktrace: null,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  await tx
    .insertInto("joeflow_task_parent")
    .values({ task_id: task.id, parent_id: parentId })
    .onConflict((oc) => oc.columns(["task_id", "parent_id"]).doNothing())
    .execute();
}

/** The revision bump with the status from the open-task count, and the open tasks read back. */
async function bump(tx: Db, workflowId: string, at: Date): Promise<void> {
  const open = await tx
    .selectFrom("joeflow_task")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("workflow_id", "=", workflowId)
    .where("status", "in", ["scheduled", "failed"])
    .executeTakeFirstOrThrow();
  await tx
    .updateTable("joeflow_workflow")
    .set((eb) => ({ revision: eb("revision", "+", 1), status: Number(open.n) > 0 ? "running" : "done", modified: at }))
    .where("id", "=", workflowId)
    .execute();
  await tx
    .selectFrom("joeflow_task")
    .select(["id", "name", "type", "status", "created", "attempt"])
    .where("workflow_id", "=", workflowId)
    .where("status", "in", ["scheduled", "failed"])
    .orderBy("seq")
    .execute();
}

/** `probe` is called where joeflow calls the user's step function (for the step-to-step latency). */
export function createBaselineActivities(db: Db, graphJson: string, probe: (workflowId: string) => void) {
  return {
    /** The instance row, its finished start task, the first state change and the first task. */
    async baselineCreate(input: { workflowId: string; startTaskId: string; first: Task; at: number }): Promise<void> {
      await db.transaction().execute(async (tx) => {
        const { workflowId, startTaskId } = input;
        if (await tx.selectFrom("joeflow_workflow").select("id").where("id", "=", workflowId).executeTakeFirst())
          return; // a retry
        const at = new Date(input.at);
        const state = JSON.stringify({ count: 0 });
        await tx
          .insertInto("joeflow_graph")
          .values({ version: GRAPH_VERSION, name: BASELINE_NAME, graph: graphJson, created: at })
          .onConflict((oc) => oc.column("version").doNothing())
          .execute();
        await tx
          .insertInto("joeflow_workflow")
          .values({
            id: workflowId,
            name: BASELINE_NAME,
            status: "running",
            state,
            graph_version: GRAPH_VERSION,
            revision: 0,
            created: at,
            modified: at,
          })
          .execute();
        await tx
          .insertInto("joeflow_task")
          .values({
            id: startTaskId,
            workflow_id: workflowId,
            name: "start",
            type: "machine",
            status: "succeeded",
            attempt: 1,
            completed_by_user: null,
            created: at,
            modified: at,
            completed: at,
            exception: null,
            stacktrace: null,
          })
          .execute();
        await tx
          .insertInto("joeflow_state_change")
          .values({
            workflow_id: workflowId,
            task_id: startTaskId,
            task_name: "start",
            user_id: null,
            at,
            before: null,
            after: state,
          })
          .execute();
        await insertTask(tx, workflowId, startTaskId, input.first, at);
        await bump(tx, workflowId, at);
      });
    },

    /** One step, then the next task (none after the last). */
    async baselineStep(input: { workflowId: string; taskId: string; next: Task | null; at: number }): Promise<void> {
      await db.transaction().execute(async (tx) => {
        const workflow = await tx
          .selectFrom("joeflow_workflow")
          .selectAll()
          .where("id", "=", input.workflowId)
          .forUpdate()
          .executeTakeFirst();
        const task = await tx.selectFrom("joeflow_task").selectAll().where("id", "=", input.taskId).executeTakeFirst();
        if (!workflow || !task) throw new Error(`baseline: no instance ${input.workflowId} or task ${input.taskId}`);
        if (task.status !== "scheduled") return; // a retry
        const at = new Date(input.at);
        probe(workflow.id);
        const before = workflow.state as { count: number };
        const after = { ...before, count: before.count + 1 };
        await tx
          .updateTable("joeflow_workflow")
          .set({ state: JSON.stringify(after) })
          .where("id", "=", workflow.id)
          .execute();
        await tx
          .insertInto("joeflow_state_change")
          .values({
            workflow_id: workflow.id,
            task_id: task.id,
            task_name: task.name,
            user_id: null,
            at,
            before: JSON.stringify(before),
            after: JSON.stringify(after),
          })
          .execute();
        await tx
          .updateTable("joeflow_task")
          .set({ status: "succeeded", completed: at, modified: at })
          .where("id", "=", task.id)
          .execute();
        if (input.next) await insertTask(tx, workflow.id, task.id, input.next, at);
        await bump(tx, workflow.id, at);
      });
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
