/**
 * The floor of bench/web.ts: hand-written Temporal workflows that answer updates, so a form POST (one
 * joeflow `completeTask` update) can be set beside the bare cost of an update round trip on the same dev
 * server. One workflow per simulated user, each taking that user's updates one after another until the
 * `stop` signal. Imports only @temporalio/workflow; the activities are types.
 *
 * - floorBare:       the update handler returns at once (no activity): the pure update round trip.
 * - floorActivity:   the handler awaits one trivial activity (returns its argument), with the
 *                    interpreter's activity options: joeflow's `completeTask` minus the SQL.
 * - floorDbWorkflow: the handler awaits one activity running a small PostgreSQL transaction (lock a row,
 *                    update it, insert a row): the shape of joeflow's completeHuman, smaller.
 * - floorLocalDbWorkflow: the same transaction as a local activity (run by the worker inside the workflow
 *                    task, no activity task through the server): what completeHuman as a local activity
 *                    would cost.
 */
import {
  allHandlersFinished, condition, defineQuery, defineSignal, defineUpdate, proxyActivities, proxyLocalActivities, setHandler,
} from "@temporalio/workflow";

export interface FloorActivities {
  floorEcho(value: string): Promise<string>;
  floorDb(input: { key: string; value: string }): Promise<string>;
}

const { floorEcho, floorDb } = proxyActivities<FloorActivities>({
  startToCloseTimeout: "10 minutes",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute" },
});

const local = proxyLocalActivities<FloorActivities>({
  startToCloseTimeout: "10 minutes",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute" },
});

export const floorUpdate = defineUpdate<string, [string]>("floor");
export const readyQuery = defineQuery<boolean>("ready");
export const stopSignal = defineSignal("stop");

async function serve(handler: (value: string) => Promise<string> | string): Promise<void> {
  let stopped = false;
  setHandler(readyQuery, () => true);
  setHandler(stopSignal, () => {
    stopped = true;
  });
  setHandler(floorUpdate, async (value) => await handler(value));
  await condition(() => stopped);
  await condition(allHandlersFinished);
}

export async function floorBare(): Promise<void> {
  await serve((value) => value);
}

export async function floorActivity(): Promise<void> {
  await serve((value) => floorEcho(value));
}

export async function floorDbWorkflow(key: string): Promise<void> {
  await serve((value) => floorDb({ key, value }));
}

export async function floorLocalDbWorkflow(key: string): Promise<void> {
  await serve((value) => local.floorDb({ key, value }));
}
