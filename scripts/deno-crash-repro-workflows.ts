/** The workflow of scripts/deno-crash-repro.ts: many activities and local activities, continuing as new. */
import { continueAsNew, proxyActivities, proxyLocalActivities } from "@temporalio/workflow";

interface Steps {
  step(i: number): Promise<number>;
}
const { step } = proxyActivities<Steps>({ startToCloseTimeout: "1 minute" });
const local = proxyLocalActivities<Steps>({ startToCloseTimeout: "1 minute" });

export async function loop(done: number, total: number): Promise<number> {
  for (let i = done; i < total; i++) {
    await step(i);
    await local.step(i);
    if (i > done && i % 1000 === 0) await continueAsNew<typeof loop>(i, total);
  }
  return total;
}
