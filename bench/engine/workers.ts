/**
 * The two sides' workers, one each in this process with the same options: joeflow's `bench_chain`
 * (tasks.start(), then s1..sN in a chain, each doing state.count += 1) and the hand-written baseline
 * (baseline-workflow.ts, baseline-activities.ts) writing the same rows.
 */
import type { Client } from "@temporalio/client";
import { type NativeConnection, Worker } from "@temporalio/worker";
import type { Kysely } from "kysely";
import { z } from "zod";
import { type AnyWorkflow, createJoeflow, defineWorkflow, tasks } from "joeflow";
import { createWorker } from "joeflow/worker";
import type { JoeflowDatabase } from "../../src/store/schema.ts";
import type { Cleanups } from "../support/lifecycle.ts";
import { bundleWorkflows } from "../support/temporal.ts";
import { createBaselineActivities } from "./baseline-activities.ts";
import { probe, timing } from "./meter.ts";
import { workerTuning } from "./options.ts";

export const JOEFLOW_QUEUE = "bench-joeflow";
export const BASELINE_QUEUE = "bench-baseline";

function chainWorkflow(steps: number): AnyWorkflow {
  const taskSpecs: Record<string, unknown> = { start: tasks.start() };
  const edges: [string, string][] = [["start", "s1"]];
  for (let i = 1; i <= steps; i++) {
    taskSpecs[`s${i}`] = ({ state, workflow }: { state: { count: number }; workflow: { id: string } }) => {
      probe(workflow.id);
      state.count += 1;
    };
    if (i < steps) edges.push([`s${i}`, `s${i + 1}`]);
  }
  // deno-lint-ignore no-explicit-any
  return defineWorkflow({ name: "bench_chain", state: z.object({ count: z.number().int() }), tasks: taskSpecs as any, edges: edges as any }) as AnyWorkflow;
}

/** Starts both workers (shut down by the cleanups); returns the joeflow client and its chain workflow. */
export async function startWorkers(
  connection: NativeConnection, client: Client, db: Kysely<JoeflowDatabase>, steps: number, cleanups: Cleanups,
): Promise<{ joeflow: ReturnType<typeof createJoeflow>; chain: AnyWorkflow }> {
  const chain = chainWorkflow(steps);
  const joeflowWorker = await createWorker({
    connection, db, workflows: [chain], taskQueue: JOEFLOW_QUEUE,
    temporal: { ...workerTuning, interceptors: { activity: [timing("joeflow")] } },
  });
  const baselineWorker = await Worker.create({
    connection,
    taskQueue: BASELINE_QUEUE,
    workflowBundle: await bundleWorkflows(new URL("./baseline-workflow.ts", import.meta.url)),
    activities: createBaselineActivities(db, JSON.stringify(chain.graph), (workflowId) => probe(workflowId)),
    interceptors: { activity: [timing("baseline")] },
    ...workerTuning,
  });
  const running = [joeflowWorker.run(), baselineWorker.run()];
  cleanups.add("shut the workers down", async () => {
    joeflowWorker.shutdown();
    baselineWorker.shutdown();
    await Promise.allSettled(running);
  });
  const joeflow = createJoeflow({ db, temporal: client, workflows: [chain], taskQueue: JOEFLOW_QUEUE });
  return { joeflow, chain };
}
