import type { AnyWorkflow } from "../definition/define.ts";
import type { MachineContext } from "../definition/types.ts";
import { validateState } from "../definition/validate.ts";
import { ObsoleteTask } from "../errors.ts";
import { type NextStep, nextStep } from "../graph/next.ts";
import { successors } from "../graph/types.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type {
  ChainProgress,
  OpenTask,
  RunTaskInput as RunTask,
  Snapshot,
  StepOutcome,
} from "../interpreter/protocol.ts";
import type { Tx } from "../store/db.ts";
import { isChange, type StateChangeRecord } from "../store/history.ts";
import { commitRevision, commitTransition, lockInstance, mustSnapshot, snapshotAfter } from "../store/instances.ts";
import { lockForStep } from "../store/steps.ts";
import type { TaskRow, WorkflowRow } from "../store/schema.ts";
import { failTask } from "../store/tasks.ts";
import { type ActivityContext, eventsWanted, graphOf, withTitle } from "./context.ts";
import { finishMachineStep, newOpenTask } from "./next-tasks.ts";

/** What a task's run decided: the tasks after it, the state it leaves, and the change to record. */
interface Step {
  readonly names: readonly string[];
  readonly state: Record<string, unknown>;
  readonly change: StateChangeRecord;
}

/** Leaves the transaction without committing what the task did. */
class Rollback {
  constructor(readonly reason: { kind: "notYet" } | { kind: "failed"; error: unknown }) {}
}

/** One step of a chain (src/activities/chain.ts): a RunTask and what the chain adds to it. */
export interface StepInput extends RunTask {
  /** The revision the chain's previous step committed: if another one committed since, the chain yields. */
  readonly afterRevision?: number;
  /** Decides, before the commit, whether the chain goes on after this step, and with which task. */
  readonly chainAfter?: (graph: CompiledGraph, started: readonly { id: string; name: string }[]) => ChainNext | null;
  /** The revision the chain's delta reaches so far: a step from it answers what it opened, not a snapshot. */
  readonly deltaFrom?: number;
}

export type ChainNext = NonNullable<ChainProgress["next"]>;

/**
 * A step that ended its chain with the snapshot it left, or one that committed: the tasks it opened
 * when it went on from `deltaFrom` (else null: then it has a `next`, or it would have read the snapshot).
 */
export type StepResult =
  | { readonly kind: "ended"; readonly step?: StepOutcome; readonly snapshot: Snapshot }
  | {
      readonly kind: "committed";
      readonly step: StepOutcome;
      readonly revision: number;
      readonly status: Snapshot["status"];
      readonly opened: readonly OpenTask[] | null;
      readonly next: ChainNext | null;
      /** The hook events it wrote (store/events.ts): the chain hands them to the workflow to deliver. */
      readonly events: readonly string[];
    };

/**
 * Runs one machine task in one transaction under the instance's lock: the function, its state
 * changes, the task's completion and the tasks after it commit together or not at all. A task that
 * is no longer scheduled (an override or cancel came first, or this is a retry after the commit) is
 * skipped, so a retried activity never applies twice. A chain's step after another yields (changes
 * nothing) when a transaction other than the chain's committed in between: a message was applied,
 * and the workflow plans again from its snapshot.
 */
export async function runStep(
  ctx: ActivityContext,
  input: StepInput,
  signal: AbortSignal = NEVER,
): Promise<StepResult> {
  let name: string | undefined;
  try {
    return await ctx.db.transaction().execute(async (tx): Promise<StepResult> => {
      const locked = await lockForStep(tx, input.workflowId, input.taskId);
      const { workflow, task } = locked ?? {};
      if (!workflow || (input.afterRevision !== undefined && workflow.revision !== input.afterRevision)) {
        return { kind: "ended", snapshot: await mustSnapshot(tx, input.workflowId) }; // yields
      }
      name = task?.name;
      if (task?.status !== "scheduled") {
        const step = task && outcome(task, "skipped");
        return { kind: "ended", step, snapshot: await mustSnapshot(tx, input.workflowId) };
      }
      const graph = await graphOf(ctx, tx, workflow.graph_version);
      const at = new Date(input.at);
      const definition = ctx.workflows.get(workflow.name);
      const step = await execute(tx, graph, definition, workflow, task, { ...input, signal }, at);
      const { names, state, change } = step;
      const titled = withTitle(ctx, workflow, { at, state: isChange(change) ? state : undefined });
      const transition = { ...titled, events: eventsWanted(ctx, workflow.name) };
      // Hook events need the row as it was: then the revision is bumped on its own, after the writes.
      const commit = transition.events ? undefined : { state: titled.state, title: titled.title };
      const found = { workflowId: workflow.id, graph, definition, task, names, state, change, at, commit };
      const { started, exact, committed } = await finishMachineStep(tx, found);
      const next = input.chainAfter?.(graph, started) ?? null;
      const succeeded = outcome(task, "succeeded");
      const delta = exact && input.deltaFrom === workflow.revision;
      const opened = delta ? started.map((t) => newOpenTask(graph, t, task.name, at)) : null;
      if (!next && !opened) {
        const snapshot = committed
          ? await snapshotAfter(tx, workflow.id, committed)
          : await commitTransition(tx, workflow.id, transition);
        return { kind: "ended", step: succeeded, snapshot };
      }
      const { revision, status, events } = committed
        ? { ...committed, events: [] }
        : await commitRevision(tx, workflow.id, transition);
      return { kind: "committed", step: succeeded, revision, status, opened, next, events };
    });
  } catch (thrown) {
    if (!(thrown instanceof Rollback)) throw thrown; // the database's own trouble: Temporal retries
    const step = outcome({ id: input.taskId, name: name! }, thrown.reason.kind);
    if (thrown.reason.kind === "notYet")
      return { kind: "ended", step, snapshot: await mustSnapshot(ctx.db, input.workflowId) };
    return await recordFailure(ctx, input, step, thrown.reason.error);
  }
}

function outcome(task: { id: string; name: string }, kind: StepOutcome["outcome"]): StepOutcome {
  return { taskId: task.id, name: task.name, outcome: kind };
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
  const change = (after: Record<string, unknown>): StateChangeRecord => ({
    workflowId: workflow.id,
    taskId: task.id,
    taskName: task.name,
    user: null,
    at,
    before: workflow.state,
    after,
  });
  if (compiled?.kind !== "machine") {
    return {
      names: compiled ? successors(graph, task.name) : [],
      state: workflow.state,
      change: change(workflow.state),
    };
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
  return { names: step.names, state: after, change: change(after) };
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

async function recordFailure(
  ctx: ActivityContext,
  input: RunTask,
  step: StepOutcome,
  error: unknown,
): Promise<StepResult> {
  const { exception, stacktrace } = describeError(error);
  return await ctx.db.transaction().execute(async (tx): Promise<StepResult> => {
    const workflow = await lockInstance(tx, input.workflowId);
    const at = new Date(input.at);
    if (!workflow || !(await failTask(tx, input.taskId, { exception, stacktrace, at }))) {
      return {
        kind: "ended",
        step: { ...step, outcome: "skipped" },
        snapshot: await mustSnapshot(tx, input.workflowId),
      };
    }
    const events = eventsWanted(ctx, workflow.name);
    const snapshot = await commitTransition(tx, input.workflowId, { at, events });
    return { kind: "ended", step: { ...step, outcome: "failed" }, snapshot };
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
