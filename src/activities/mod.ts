import { Context } from "@temporalio/activity";
import type { AnyWorkflow } from "../definition/define.ts";
import { activityContext, type Db } from "./context.ts";
import { createInstance, type CreateInstance, loadSnapshot } from "./instance.ts";
import { runTask, type RunTask } from "./machine.ts";
import { cancelTask, cancelWorkflow, completeHuman, type CompleteHuman, override, type OverrideInput, rerun, type TaskAction } from "./messages.ts";

/** The activities the interpreter asks a worker to run, bound to its database and definitions. */
export function createActivities(db: Db, workflows: readonly AnyWorkflow[]) {
  const ctx = activityContext(db, workflows);
  return {
    createInstance: (input: CreateInstance) => createInstance(ctx, input),
    loadSnapshot: (input: { workflowId: string }) => loadSnapshot(ctx, input),
    // The activity's own signal: aborted when Temporal gives up on this attempt (its timeout passed).
    runTask: (input: RunTask) => runTask(ctx, input, Context.current().cancellationSignal),
    completeHuman: (input: CompleteHuman) => completeHuman(ctx, input),
    override: (input: OverrideInput) => override(ctx, input),
    rerun: (input: TaskAction) => rerun(ctx, input),
    cancelTask: (input: TaskAction) => cancelTask(ctx, input),
    cancelWorkflow: (input: Omit<TaskAction, "taskId">) => cancelWorkflow(ctx, input),
  };
}

export type Activities = ReturnType<typeof createActivities>;
