/**
 * The two sides, one worker each in this process with the same options: joeflow's `bench_chain`
 * (tasks.start(), then s1..sN in a chain, each doing state.count += 1) and the hand-written baseline
 * writing the same rows. Each side runs one instance to its end; every instance is checked in the
 * database afterwards.
 */
import { randomUUID } from "node:crypto";
import type { TestWorkflowEnvironment } from "@temporalio/testing";
import { Worker } from "@temporalio/worker";
import { type Kysely, sql } from "kysely";
import { z } from "zod";
import { type AnyWorkflow, createJoeflow, defineWorkflow, type JoeflowDatabase, tasks } from "joeflow";
import { createWorker } from "joeflow/worker";
import type { Cleanups } from "../support/run.ts";
import { bundleWorkflows, runWorker } from "../support/servers.ts";
import { BASELINE_NAME, createBaselineActivities } from "./baseline-activities.ts";

export const SIDES = ["baseline", "joeflow"] as const; // the order they run in, each time
export type Side = (typeof SIDES)[number];
type Db = Kysely<JoeflowDatabase>;

/** performance.now() each time a step's body ran, by instance. */
const stepMarks = new Map<string, number[]>();
const probe = (workflowId: string) =>
  stepMarks.set(workflowId, [...(stepMarks.get(workflowId) ?? []), performance.now()]);

/** The time between consecutive step bodies of these instances. */
export const stepIntervals = (ids: readonly string[]) =>
  ids.flatMap((id) => (stepMarks.get(id) ?? []).slice(1).map((t, i) => t - stepMarks.get(id)![i]!));

/** Instances started and not done (Temporal ids, or joeflow start calls under way), for a timeout's report. */
export const unfinished = new Set<string>();

function chainWorkflow(steps: number): AnyWorkflow {
  const chain: Record<string, unknown> = { start: tasks.start() };
  const edges: [string, string][] = [["start", "s1"]];
  for (let i = 1; i <= steps; i++) {
    chain[`s${i}`] = ({ state, workflow }: { state: { count: number }; workflow: { id: string } }) => {
      probe(workflow.id);
      state.count += 1;
    };
    if (i < steps) edges.push([`s${i}`, `s${i + 1}`]);
  }
  const state = z.object({ count: z.number().int() });
  // Built in a loop, so TypeScript cannot check the task names: the definition checks them when it runs.
  return defineWorkflow({ name: "bench_chain", state, tasks: chain as never, edges: edges as never }) as AnyWorkflow;
}

/** Starts both workers (shut down by the cleanups); per side, a function that runs one instance, returning its id. */
export async function startSides(env: TestWorkflowEnvironment, db: Db, steps: number, cleanups: Cleanups) {
  const [connection, client, workflows] = [env.nativeConnection, env.client, [chainWorkflow(steps)]];
  const chain = workflows[0]!;
  runWorker(await createWorker({ connection, db, workflows, taskQueue: "bench-joeflow" }), "joeflow", cleanups);
  const workflowBundle = await bundleWorkflows(new URL("./baseline-workflow.ts", import.meta.url));
  const activities = createBaselineActivities(db, JSON.stringify(chain.graph), probe);
  const baseline = await Worker.create({ connection, taskQueue: "bench-baseline", workflowBundle, activities });
  runWorker(baseline, "baseline", cleanups);
  const joeflow = createJoeflow({ db, temporal: client, workflows, taskQueue: "bench-joeflow" });
  const awaitEnd = async (temporalId: string) => {
    unfinished.add(temporalId);
    await client.workflow.getHandle(temporalId).result();
    unfinished.delete(temporalId);
  };
  let starts = 0;
  return {
    async joeflow() {
      const call = `joeflow start call #${++starts}`;
      unfinished.add(call);
      const { workflowId } = await joeflow.start(chain, { state: { count: 0 } }); // once it is in the database
      unfinished.delete(call);
      await awaitEnd(`${chain.name}-${workflowId}`); // joeflow's Temporal workflow id: `${name}-${id}`
      return workflowId;
    },
    async baseline() {
      const workflowId = randomUUID();
      const temporalId = `${BASELINE_NAME}-${workflowId}`;
      const args = [{ workflowId, steps }];
      await client.workflow.start("baselineChain", { taskQueue: "bench-baseline", workflowId: temporalId, args });
      await awaitEnd(temporalId);
      return workflowId;
    },
  } satisfies Record<Side, () => Promise<string>>;
}

/** Both sides must write the same rows: each instance done, count = steps, steps + 1 tasks, changes, revisions. */
export async function verify(db: Db, side: Side, ids: readonly string[], steps: number) {
  type Row = { status: string; count: number; revision: number; tasks: number; changes: number };
  const { rows } = await sql<Row>`SELECT id, status, (state->>'count')::int AS count, revision,
      (SELECT count(*)::int FROM joeflow_task t WHERE t.workflow_id = w.id) AS tasks,
      (SELECT count(*)::int FROM joeflow_state_change c WHERE c.workflow_id = w.id) AS changes
    FROM joeflow_workflow w WHERE id = ANY(${ids})`.execute(db);
  const n = steps + 1; // tasks, state changes and revisions: the start and each step
  const bad = rows.filter(
    (r) => r.status !== "done" || r.count !== steps || [r.revision, r.tasks, r.changes].some((v) => v !== n),
  );
  const e = `${ids.length - rows.length} instances missing, ${bad.length} wrong, e.g. ${JSON.stringify(bad[0])}`;
  if (rows.length !== ids.length || bad.length > 0) throw new Error(`${side}: ${e}`);
}
