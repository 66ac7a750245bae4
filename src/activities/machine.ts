import type { AnyWorkflow } from "../definition/define.ts";
import type { MachineContext } from "../definition/types.ts";
import { validateState } from "../definition/validate.ts";
import { ObsoleteTask } from "../errors.ts";
import { type NextStep, nextStep } from "../graph/next.ts";
import { successors } from "../graph/types.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type { RunOutcome, RunTaskInput as RunTask } from "../interpreter/protocol.ts";
import type { Tx } from "../store/db.ts";
import { recordStateChange } from "../store/history.ts";
import { commitTransition, lockInstance, mustSnapshot } from "../store/instances.ts";
import type { TaskRow, WorkflowRow } from "../store/schema.ts";
import { closeTask, failTask, findTaskOf } from "../store/tasks.ts";
import { type ActivityContext, eventsWanted, graphOf } from "./context.ts";
import { startNextTasks } from "./next-tasks.ts";

/** What a task's run decided: the tasks after it and the state it leaves. */
interface Step {
  readonly names: readonly string[];
  readonly state: Record<string, unknown>;
  readonly changed: boolean;
}

/** Leaves the transaction without committing what the task did. */
class Rollback {
  constructor(readonly reason: { kind: "notYet" } | { kind: "failed"; error: unknown }) {}
}

/**
 * Runs one machine task in one transaction under the instance's lock: the function, its state
 * changes, the task's completion and the tasks after it commit together or not at all. A task that
 * is no longer scheduled (an override or cancel came first, or this is a retry after the commit) is
 * skipped, so a retried activity never applies twice.
 */
export async function runTask(ctx: ActivityContext, input: RunTask, signal: AbortSignal = NEVER): Promise<RunOutcome> {
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const workflow = await lockInstance(tx, input.workflowId);
      const task = workflow && (await findTaskOf(tx, workflow.id, input.taskId, { assignees: false }));
      if (!workflow || !task || task.status !== "scheduled") {
        return { outcome: "skipped" as const, snapshot: await mustSnapshot(tx, input.workflowId) };
      }
      const graph = await graphOf(ctx, tx, workflow.graph_version);
      const at = new Date(input.at);
      const step = await execute(tx, graph, ctx.workflows.get(workflow.name), workflow, task, { ...input, signal }, at);
      await closeTask(tx, task.id, { status: "succeeded", user: null, at });
      await startNextTasks(tx, {
        workflowId: workflow.id,
        graph,
        definition: ctx.workflows.get(workflow.name),
        parent: { id: task.id, name: task.name, completedByUser: null },
        names: step.names,
        state: step.state,
        at,
      });
      const state = step.changed ? step.state : undefined;
      const snapshot = await commitTransition(tx, workflow.id, { at, state, events: eventsWanted(ctx, workflow.name) });
      return { outcome: "succeeded" as const, snapshot };
    });
  } catch (thrown) {
    if (!(thrown instanceof Rollback)) throw thrown; // the database's own trouble: Temporal retries
    if (thrown.reason.kind === "notYet")
      return { outcome: "notYet", snapshot: await mustSnapshot(ctx.db, input.workflowId) };
    return await recordFailure(ctx, input, thrown.reason.error);
  }
}

async function execute(
  tx: Tx,
  graph: CompiledGraph,
  definition: AnyWorkflow | undefined,
  workflow: WorkflowRow,
  task: TaskRow,
  input: RunTask & { signal: AbortSignal },
  at: Date,
): Promise<Step> {
  const compiled = graph.tasks[task.name];
  if (compiled?.kind !== "machine") {
    return { names: compiled ? successors(graph, task.name) : [], state: workflow.state, changed: false };
  }
  const run =
    definition?.graph.tasks[task.name]?.kind === "machine" ? definition.runtime.get(task.name)?.run : undefined;
  if (!run || !definition) throw new Rollback({ kind: "failed", error: new ObsoleteTask(workflow.name, task.name) });
  const state = structuredClone(workflow.state);
  const context: MachineContext<Record<string, unknown>> = {
    state,
    task: {
      id: task.id,
      name: task.name,
      created: new Date(task.created),
      attempt: task.attempt + (input.notYetCount ?? 0),
    },
    workflow: { id: workflow.id, name: workflow.name, created: new Date(workflow.created) },
    db: tx,
    signal: input.signal,
  };
  let step: NextStep;
  try {
    step = nextStep(graph, task.name, await unlessAborted(run(context), input.signal));
  } catch (error) {
    // A run given up is not the task failing: its transaction rolls back, and Temporal runs it again.
    if (input.signal.aborted) throw input.signal.reason;
    throw new Rollback({ kind: "failed", error });
  }
  if (step.kind === "notYet") throw new Rollback({ kind: "notYet" });
  let after: Record<string, unknown>;
  try {
    after = validateState(definition.state, context.state);
  } catch (invalid) {
    throw new Rollback({ kind: "failed", error: invalid });
  }
  const changed = await recordStateChange(tx, {
    workflowId: workflow.id,
    taskId: task.id,
    taskName: task.name,
    user: null,
    at,
    before: workflow.state,
    after,
  });
  return { names: step.names, state: after, changed };
}

const NEVER = new AbortController().signal;

/**
 * The run's result, or the abort's reason as soon as the run is given up: a run that hangs must not
 * keep the instance's row locked, so its transaction has to end even though its code cannot be stopped.
 */
async function unlessAborted<T>(run: T | Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw signal.reason;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([run, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort!);
  }
}

async function recordFailure(ctx: ActivityContext, input: RunTask, error: unknown): Promise<RunOutcome> {
  const { exception, stacktrace } = describeError(error);
  return await ctx.db.transaction().execute(async (tx) => {
    const workflow = await lockInstance(tx, input.workflowId);
    const at = new Date(input.at);
    if (!workflow || !(await failTask(tx, input.taskId, { exception, stacktrace, at }))) {
      return { outcome: "skipped" as const, snapshot: await mustSnapshot(tx, input.workflowId) };
    }
    const events = eventsWanted(ctx, workflow.name);
    return { outcome: "failed" as const, snapshot: await commitTransition(tx, input.workflowId, { at, events }) };
  });
}

/** "Error: Boom!" and the stack, as joeflow records them. */
export function describeError(error: unknown): { exception: string; stacktrace: string } {
  if (error instanceof Error) {
    const exception = `${error.name}: ${error.message}`;
    return { exception, stacktrace: error.stack ?? exception };
  }
  const text = `Error: ${String(error)}`;
  return { exception: text, stacktrace: text };
}
