/**
 * The baseline's activities: what a hand-written Temporal application would write for the same chain,
 * the rows of one joeflow machine step in the same joeflow_ tables, one transaction per activity. One
 * step: lock the workflow row FOR UPDATE, read the task, run the step (count += 1), update the state and
 * insert the state change, mark the task succeeded, insert the next task and its parent link, bump the
 * revision with the status from the open-task count, read the open tasks. 12 statements with BEGIN and
 * COMMIT (10 for the last step, which has no next task); creating an instance takes 12 too.
 */
import { type Kysely, sql } from "kysely";
import type { JoeflowDatabase } from "joeflow";

type Db = Kysely<JoeflowDatabase>;
type Task = { id: string; name: string };

export const BASELINE_NAME = "baseline";
const GRAPH_VERSION = "baseline-chain-v1";

/** The next task (if any) and its parent link; the revision bump with the status; the open tasks read back. */
async function finishStep(tx: Db, workflowId: string, parentId: string, next: Task | null, at: Date) {
  if (next) {
    await sql`INSERT INTO joeflow_task (id, workflow_id, name, type, status, attempt, created, modified)
      VALUES (${next.id}, ${workflowId}, ${next.name}, 'machine', 'scheduled', 1, ${at}, ${at})
      ON CONFLICT (id) DO NOTHING`.execute(tx);
    await sql`INSERT INTO joeflow_task_parent (task_id, parent_id) VALUES (${next.id}, ${parentId})
      ON CONFLICT (task_id, parent_id) DO NOTHING`.execute(tx);
  }
  const open = sql`workflow_id = ${workflowId} AND status IN ('scheduled', 'failed')`;
  const count = await sql<{ n: string }>`SELECT count(*) AS n FROM joeflow_task WHERE ${open}`.execute(tx);
  const status = Number(count.rows[0]!.n) > 0 ? "running" : "done";
  await sql`UPDATE joeflow_workflow SET revision = revision + 1, status = ${status}, modified = ${at}
    WHERE id = ${workflowId}`.execute(tx);
  await sql`SELECT id, name, type, status, created, attempt FROM joeflow_task WHERE ${open} ORDER BY seq`.execute(tx);
}

/** `probe` is called where joeflow calls the user's step function (for the step-to-step latency). */
export function createBaselineActivities(db: Db, graphJson: string, probe: (workflowId: string) => void) {
  return {
    /** The instance row, its finished start task, the first state change and the first task. */
    baselineCreate: (input: { workflowId: string; startTaskId: string; first: Task; at: number }) =>
      db.transaction().execute(async (tx) => {
        const { workflowId: id, startTaskId: startId } = input;
        if ((await sql`SELECT id FROM joeflow_workflow WHERE id = ${id}`.execute(tx)).rows.length) return; // a retry
        const [at, state] = [new Date(input.at), JSON.stringify({ count: 0 })];
        await sql`INSERT INTO joeflow_graph (version, name, graph, created)
          VALUES (${GRAPH_VERSION}, ${BASELINE_NAME}, ${graphJson}, ${at})
          ON CONFLICT (version) DO NOTHING`.execute(tx);
        await sql`INSERT INTO joeflow_workflow (id, name, status, state, graph_version, revision, created, modified)
          VALUES (${id}, ${BASELINE_NAME}, 'running', ${state}, ${GRAPH_VERSION}, 0, ${at}, ${at})`.execute(tx);
        await sql`INSERT INTO joeflow_task (id, workflow_id, name, type, status, attempt, created, modified, completed)
          VALUES (${startId}, ${id}, 'start', 'machine', 'succeeded', 1, ${at}, ${at}, ${at})`.execute(tx);
        await sql`INSERT INTO joeflow_state_change (workflow_id, task_id, task_name, at, before, after)
          VALUES (${id}, ${startId}, 'start', ${at}, NULL, ${state})`.execute(tx);
        await finishStep(tx, id, startId, input.first, at);
      }),

    /** One step, then the next task (none after the last). */
    baselineStep: (input: { workflowId: string; taskId: string; next: Task | null; at: number }) =>
      db.transaction().execute(async (tx) => {
        const { workflowId: id, taskId } = input;
        type Row = { name: string; status: string; state: { count: number } };
        const lock = sql<Row>`SELECT * FROM joeflow_workflow WHERE id = ${id} FOR UPDATE`;
        const [workflow] = (await lock.execute(tx)).rows;
        const [task] = (await sql<Row>`SELECT * FROM joeflow_task WHERE id = ${taskId}`.execute(tx)).rows;
        if (!workflow || !task) throw new Error(`baseline: no instance ${id} or task ${taskId}`);
        if (task.status !== "scheduled") return; // a retry
        const at = new Date(input.at);
        probe(id);
        const before = workflow.state;
        const after = JSON.stringify({ ...before, count: before.count + 1 });
        await sql`UPDATE joeflow_workflow SET state = ${after} WHERE id = ${id}`.execute(tx);
        await sql`INSERT INTO joeflow_state_change (workflow_id, task_id, task_name, at, before, after)
          VALUES (${id}, ${taskId}, ${task.name}, ${at}, ${JSON.stringify(before)}, ${after})`.execute(tx);
        await sql`UPDATE joeflow_task SET status = 'succeeded', completed = ${at}, modified = ${at}
          WHERE id = ${taskId}`.execute(tx);
        await finishStep(tx, id, taskId, input.next, at);
      }),
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
