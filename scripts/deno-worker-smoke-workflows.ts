/** The workflow of scripts/deno-worker-smoke.ts: a durable timer, then an activity. */
import { proxyActivities, sleep } from "@temporalio/workflow";

const { where } = proxyActivities<{ where(): Promise<string> }>({ startToCloseTimeout: "10 seconds" });

export async function smoke(): Promise<string> {
  await sleep("1 day"); // skipped by the time-skipping server
  return `workflow ran in the worker; its activity ran on ${await where()}`;
}
