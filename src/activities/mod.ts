import { Context } from "@temporalio/activity";
import type { AnyWorkflow } from "../definition/define.ts";
import type { InterpreterActivities } from "../interpreter/protocol.ts";
import { applyMessage } from "../messages/apply.ts";
import type { Db } from "../store/db.ts";
import { activityContext } from "./context.ts";
import { createInstance, loadSnapshot } from "./instance.ts";
import { runTask } from "./machine.ts";

/** The activities the interpreter asks a worker to run, bound to its database and definitions. */
export function createActivities(db: Db, workflows: readonly AnyWorkflow[]): InterpreterActivities {
  const ctx = activityContext(db, workflows);
  return {
    createInstance: (input) => createInstance(ctx, input),
    loadSnapshot: (input) => loadSnapshot(ctx.db, input),
    applyMessage: (input) => applyMessage(ctx, input),
    // The activity's own signal: aborted when Temporal gives up on this attempt (its timeout passed).
    runTask: (input) => runTask(ctx, input, Context.current().cancellationSignal),
  };
}
