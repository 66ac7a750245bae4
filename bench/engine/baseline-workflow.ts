/**
 * The baseline: a hand-written Temporal workflow running the same chain of activities as the
 * benchmark's joeflow workflow (create the instance, then s1..sN), with the same activity options
 * as joeflow's interpreter. Imports only @temporalio/workflow; the activities are types.
 */
import { proxyActivities, uuid4 } from "@temporalio/workflow";
import type { BaselineActivities } from "./baseline-activities.ts";

const { baselineCreate, baselineStep } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: "10 minutes",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute" },
});

export interface BaselineInput {
  readonly workflowId: string;
  readonly steps: number;
}

export async function baselineChain(input: BaselineInput): Promise<number> {
  const { workflowId, steps } = input;
  let taskId: string | null = await baselineCreate({ workflowId, startTaskId: uuid4(), firstTask: "s1", at: Date.now() });
  for (let i = 1; i <= steps && taskId !== null; i++) {
    taskId = await baselineStep({ workflowId, taskId, next: i < steps ? `s${i + 1}` : null, at: Date.now() });
  }
  return steps;
}
