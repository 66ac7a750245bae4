/**
 * The floors of bench/web.ts: hand-written Temporal workflows answering updates, so a form POST (one
 * joeflow `completeTask` update) can be set beside what an update costs alone on the same dev server.
 * Each serves updates, one caller at a time, until the `stop` signal. Imports only @temporalio/workflow.
 * - floorBare: the handler returns at once: the bare update round trip.
 * - floorLocalDb: the handler awaits a local activity running a small PostgreSQL transaction (lock a
 *   row, update it, insert a row), with the interpreter's activity options: joeflow's completeTask, smaller.
 */
import { allHandlersFinished, condition, defineSignal, defineUpdate } from "@temporalio/workflow";
import { proxyLocalActivities, setHandler } from "@temporalio/workflow";

const { floorDb } = proxyLocalActivities<{ floorDb(input: { key: string; value: string }): Promise<string> }>({
  startToCloseTimeout: "10 minutes",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute" },
});

export const floorUpdate = defineUpdate<string, [string]>("floor");
export const stopSignal = defineSignal("stop");

async function serve(handler: (value: string) => Promise<string> | string): Promise<void> {
  let stopped = false;
  setHandler(stopSignal, () => {
    stopped = true;
  });
  setHandler(floorUpdate, async (value) => await handler(value));
  await condition(() => stopped);
  await condition(allHandlersFinished);
}

export const floorBare = () => serve((value) => value);
export const floorLocalDb = (key: string) => serve((value) => floorDb({ key, value }));
