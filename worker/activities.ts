import { Context } from "@temporalio/activity";
import type { AnyWorkflow } from "../src/definition/define.ts";
import type { Hooks } from "../src/definition/hooks.ts";
import { deliverEvent } from "../src/activities/deliver.ts";
import { type InterpreterActivities, MACHINE_HEARTBEAT_EVERY_MS } from "../src/interpreter/protocol.ts";
import { applyMessage } from "../src/messages/apply.ts";
import type { Db } from "../src/store/db.ts";
import { runChain } from "../src/activities/chain.ts";
import { activityContext } from "../src/activities/context.ts";
import { createInstance, loadSnapshot } from "../src/activities/instance.ts";
import { escalateTask } from "../src/activities/escalate.ts";
import { endSubflow, startSubflow } from "../src/activities/subflow.ts";

/** The activities the interpreter asks a worker to run, bound to its database and definitions. */
export function createActivities(db: Db, workflows: readonly AnyWorkflow[], hooks?: Hooks): InterpreterActivities {
  const ctx = activityContext(db, workflows, hooks);
  return {
    createInstance: (input) => createInstance(ctx, input),
    loadSnapshot: (input) => loadSnapshot(ctx.db, input),
    applyMessage: (input) => applyMessage(ctx, input),
    escalateTask: (input) => escalateTask(ctx, input),
    // The activity's own signal: aborted when Temporal gives up on this attempt (its timeout passed).
    runTask: (input) =>
      heartbeating((context, progress) =>
        runChain(ctx, input, {
          signal: context.cancellationSignal,
          resumeFrom: context.info.heartbeatDetails,
          progress,
        }),
      ),
    startSubflow: (input) => startSubflow(ctx, input),
    endSubflow: (input) => endSubflow(ctx, input),
    deliverEvent: (input) => {
      const context = Context.current();
      return deliverEvent(ctx, input, { number: context.info.attempt, signal: context.cancellationSignal });
    },
  };
}

/**
 * Runs the activity while telling the server it is alive: a worker killed mid-task is noticed within
 * MACHINE_HEARTBEAT_TIMEOUT_MS, and the task runs again elsewhere, instead of after its whole timeout.
 * Each beat carries the chain's latest progress (the UI shows it; a retry goes on from it); a step
 * only records it, so a quick chain costs no heartbeat at all.
 */
async function heartbeating<T, P>(run: (context: Context, progress: (details: P) => void) => Promise<T>): Promise<T> {
  const context = Context.current();
  let details: P | undefined;
  const beat = setInterval(() => context.heartbeat(details), MACHINE_HEARTBEAT_EVERY_MS);
  try {
    return await run(context, (progress) => {
      details = progress;
    });
  } finally {
    clearInterval(beat);
  }
}
