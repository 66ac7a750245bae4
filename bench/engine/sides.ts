/**
 * The two sides, one worker each in this process with the same options: joeflow's `bench_chain`
 * (tasks.start(), then s1..sN in a chain, each doing state.count += 1) and the hand-written baseline
 * writing the same rows. Each side runs one instance to its end; every instance is checked in the
 * database afterwards.
 */
import { randomUUID } from "node:crypto";
import type { Client } from "@temporalio/client";
import { type NativeConnection, Worker } from "@temporalio/worker";
import type { Kysely } from "kysely";
import { z } from "zod";
import { type AnyWorkflow, createJoeflow, defineWorkflow, type JoeflowDatabase, tasks } from "joeflow";
import { createWorker } from "joeflow/worker";
import type { Cleanups } from "../support/run.ts";
import { bundleWorkflows } from "../support/servers.ts";
import { BASELINE_NAME, createBaselineActivities } from "./baseline-activities.ts";

export const SIDES = ["baseline", "joeflow"] as const; // the order they run in, each time
export type Side = (typeof SIDES)[number];

/** performance.now() each time a step's body ran, by instance. */
const stepMarks = new Map<string, number[]>();
const probe = (workflowId: string) =>
  stepMarks.set(workflowId, [...(stepMarks.get(workflowId) ?? []), performance.now()]);

/** The time between consecutive step bodies of these instances. */
export const stepIntervals = (ids: readonly string[]) =>
  ids.flatMap((id) => (stepMarks.get(id) ?? []).slice(1).map((t, i) => t - stepMarks.get(id)![i]!));

/**
 * Instances started and not done (Temporal workflow ids, or a joeflow start call under way),
 * for a timeout's report.
 */
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

/**
 * Starts both workers (shut down by the cleanups); returns, per side, a function that runs one
 * instance and returns its id.
 */
export async function startSides(
  connection: NativeConnection,
  client: Client,
  db: Kysely<JoeflowDatabase>,
  steps: number,
  cleanups: Cleanups,
): Promise<Record<Side, () => Promise<string>>> {
  const chain = chainWorkflow(steps);
  const run = (worker: Worker, side: Side) => {
    const running = worker.run();
    cleanups.add(`shut the ${side} worker down`, async () => {
      worker.shutdown();
      await running;
    });
  };
  run(await createWorker({ connection, db, workflows: [chain], taskQueue: "bench-joeflow" }), "joeflow");
  run(
    await Worker.create({
      connection,
      taskQueue: "bench-baseline",
      workflowBundle: await bundleWorkflows(new URL("./baseline-workflow.ts", import.meta.url)),
      activities: createBaselineActivities(db, JSON.stringify(chain.graph), probe),
    }),
    "baseline",
  );
  const joeflow = createJoeflow({ db, temporal: client, workflows: [chain], taskQueue: "bench-joeflow" });
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
      // returns once the instance is in the database
      const { workflowId } = await joeflow.start(chain, { state: { count: 0 } });
      unfinished.delete(call);
      await awaitEnd(`${chain.name}-${workflowId}`); // joeflow's Temporal workflow id: `${name}-${id}`
      return workflowId;
    },
    async baseline() {
      const workflowId = randomUUID();
      const temporalId = `${BASELINE_NAME}-${workflowId}`;
      await client.workflow.start("baselineChain", {
        taskQueue: "bench-baseline",
        workflowId: temporalId,
        args: [{ workflowId, steps }],
      });
      await awaitEnd(temporalId);
      return workflowId;
    },
  };
}

/**
 * Both sides must have written the same rows: every instance done, count = steps, steps + 1 tasks,
 * state changes and revisions.
 */
export async function verify(
  db: Kysely<JoeflowDatabase>,
  side: Side,
  ids: readonly string[],
  steps: number,
): Promise<void> {
  const rows = await db
    .selectFrom("joeflow_workflow as w")
    .select(["w.id", "w.status", "w.state", "w.revision"])
    .select((eb) =>
      eb
        .selectFrom("joeflow_task as t")
        .whereRef("t.workflow_id", "=", "w.id")
        .select(eb.fn.countAll<string>().as("n"))
        .as("tasks"),
    )
    .select((eb) =>
      eb
        .selectFrom("joeflow_state_change as c")
        .whereRef("c.workflow_id", "=", "w.id")
        .select(eb.fn.countAll<string>().as("n"))
        .as("changes"),
    )
    .where("w.id", "in", ids)
    .execute();
  const bad = rows.filter(
    (r) =>
      r.status !== "done" ||
      (r.state as { count: number }).count !== steps ||
      r.revision !== steps + 1 ||
      Number(r.tasks) !== steps + 1 ||
      Number(r.changes) !== steps + 1,
  );
  if (rows.length !== ids.length || bad.length > 0) {
    throw new Error(
      `${side}: ${ids.length - rows.length} instances missing, ${bad.length} wrong, e.g. ${JSON.stringify(bad[0])}`,
    );
  }
}
