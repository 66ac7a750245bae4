/**
 * The baseline: a hand-written Temporal workflow running the same chain as the bench's joeflow
 * workflow (create the instance, then s1..sN), with the interpreter's activity options. Imports only
 * @temporalio/workflow; the activities are types. Task ids come from here (uuid4 is replay-safe), so
 * a retried activity writes the same rows.
 */
import { proxyActivities, uuid4 } from "@temporalio/workflow";
import type { BaselineActivities } from "./baseline-activities.ts";

const { baselineCreate, baselineStep } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: "10 minutes",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute" },
});

export async function baselineChain(input: { workflowId: string; steps: number }): Promise<void> {
  const { workflowId, steps } = input;
  let task = { id: uuid4(), name: "s1" };
  await baselineCreate({ workflowId, startTaskId: uuid4(), first: task, at: Date.now() });
  for (let i = 1; i <= steps; i++) {
    const next = i < steps ? { id: uuid4(), name: `s${i + 1}` } : null;
    await baselineStep({ workflowId, taskId: task.id, next, at: Date.now() });
    if (next) task = next;
  }
}
