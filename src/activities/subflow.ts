/**
 * Sub-workflow tasks, the two transactions the interpreter asks for (local activities, like applying
 * a message): starting one computes the child's state with the definition's `input`; ending one merges
 * the child's state back with `output` and moves on as a machine step does, or fails the task. Both
 * run under the parent's lock and are idempotent: a task no longer waiting for that child is skipped.
 */
import type { AnyWorkflow } from "../definition/define.ts";
import { childStartTask } from "../definition/subflows.ts";
import { validateState } from "../definition/validate.ts";
import { ObsoleteTask, SubflowNotServed } from "../errors.ts";
import { type CompiledGraph, successors, taskOf } from "../graph/types.ts";
import { childInstanceId } from "../interpreter/subflows.ts";
import type {
  EndSubflowInput,
  EndSubflowOutcome,
  Snapshot,
  StartSubflowInput,
  StartSubflowOutcome,
} from "../interpreter/protocol.ts";
import type { Tx } from "../store/db.ts";
import { commitTransition, lockInstance, mustSnapshot } from "../store/instances.ts";
import type { WorkflowRow } from "../store/schema.ts";
import { findChildInstance, setChildWorkflow } from "../store/subflows.ts";
import { closeTask, failTask, findTaskOf, type LockedTask } from "../store/tasks.ts";
import { type ActivityContext, eventsWanted, graphOf, withTitle } from "./context.ts";
import { describeError } from "./machine.ts";
import { afterTask } from "./next-tasks.ts";

/** What a subflow task needs at the time: its graph, its definition's spec and the child's definition. */
interface Subflow {
  readonly graph: CompiledGraph;
  readonly definition: AnyWorkflow;
  readonly spec: NonNullable<ReturnType<AnyWorkflow["runtime"]["get"]>>["subflow"] & {};
  readonly child: AnyWorkflow;
}

type Locked = { readonly workflow: WorkflowRow; readonly task: LockedTask };

export async function startSubflow(ctx: ActivityContext, input: StartSubflowInput): Promise<StartSubflowOutcome> {
  return await ctx.db.transaction().execute(async (tx): Promise<StartSubflowOutcome> => {
    const locked = await lockTask(tx, input.workflowId, input.taskId);
    if (locked?.task.status !== "scheduled" || locked.task.attempt !== input.attempt) {
      return { kind: "skipped", snapshot: await mustSnapshot(tx, input.workflowId) };
    }
    const { workflow, task } = locked;
    const at = new Date(input.at);
    let subflow: Subflow;
    let state: Record<string, unknown>;
    try {
      subflow = await subflowOf(ctx, tx, locked);
      state = validateState(subflow.child.state, childState(subflow.spec.input(structuredClone(workflow.state))));
    } catch (error) {
      // An input that cannot make the child's state fails now, as a machine task would: a rerun tries again.
      return { kind: "failed", snapshot: await fail(ctx, tx, locked, error, at) };
    }
    const child = {
      taskId: task.id,
      attempt: task.attempt,
      workflowId: childInstanceId(task.id, task.attempt),
      name: subflow.child.name,
    };
    await setChildWorkflow(tx, task.id, child.workflowId, at);
    const snapshot = await commitTransition(tx, workflow.id, { at });
    const start = childStartTask(subflow.child.graph)!;
    return { kind: "start", child, graph: subflow.child.graph, task: start, state, snapshot };
  });
}

export async function endSubflow(ctx: ActivityContext, input: EndSubflowInput): Promise<EndSubflowOutcome> {
  return await ctx.db.transaction().execute(async (tx): Promise<EndSubflowOutcome> => {
    const locked = await lockTask(tx, input.workflowId, input.taskId);
    // Not this task's current child (a late word from an attempt before a rerun), or told twice.
    if (locked?.task.status !== "scheduled" || locked.task.child_workflow_id !== input.childId) {
      return { applied: false, snapshot: await mustSnapshot(tx, input.workflowId) };
    }
    const at = new Date(input.at);
    const child = await findChildInstance(tx, input.childId);
    const failure =
      input.failure ??
      (!child
        ? "the child instance was never created"
        : child.status === "canceled"
          ? `the child instance ${input.childId} was canceled`
          : undefined);
    if (failure) return { applied: true, snapshot: await fail(ctx, tx, locked, new SubflowFailed(failure), at) };
    // Still running: a word sent early (never expected); the child tells again when it ends.
    if (child?.status !== "done") return { applied: false, snapshot: await mustSnapshot(tx, input.workflowId) };
    let merged: Merged;
    try {
      merged = await merge(ctx, tx, locked, child.state);
    } catch (error) {
      // An output that throws, or makes a state the schema refuses, fails the task: a rerun starts a new child.
      return { applied: true, snapshot: await fail(ctx, tx, locked, error, at) };
    }
    return { applied: true, snapshot: await complete(ctx, tx, locked, merged, at) };
  });
}

type Merged = { readonly subflow: Subflow; readonly state: Record<string, unknown> };

/** The parent's state after `output` (it changes a copy, or returns the fields to change), validated. */
async function merge(ctx: ActivityContext, tx: Tx, locked: Locked, child: Record<string, unknown>): Promise<Merged> {
  const subflow = await subflowOf(ctx, tx, locked);
  const copy = structuredClone(locked.workflow.state);
  const changed = subflow.spec.output?.(copy, structuredClone(child));
  return {
    subflow,
    state: validateState(subflow.definition.state, { ...copy, ...(isRecord(changed) ? changed : {}) }),
  };
}

/** The child is done: the task closed with the merged state, the tasks after it started, as a machine step. */
async function complete(ctx: ActivityContext, tx: Tx, locked: Locked, merged: Merged, at: Date): Promise<Snapshot> {
  const { workflow, task } = locked;
  const { subflow, state } = merged;
  const { graph, definition } = subflow;
  await closeTask(tx, task.id, { status: "succeeded", user: null, at });
  await afterTask(tx, {
    workflow,
    graph,
    definition,
    task,
    user: null,
    state,
    names: successors(graph, task.name),
    at,
  });
  const transition = withTitle(ctx, workflow, { at, state });
  return await commitTransition(tx, workflow.id, { ...transition, events: eventsWanted(ctx, workflow.name) });
}

async function lockTask(tx: Tx, workflowId: string, taskId: string): Promise<Locked | undefined> {
  const workflow = await lockInstance(tx, workflowId);
  const task = workflow && (await findTaskOf(tx, workflowId, taskId, { assignees: false }));
  return workflow && task ? { workflow, task } : undefined;
}

/** The task's definition and child as this worker has them; ObsoleteTask or SubflowNotServed when it has not. */
async function subflowOf(ctx: ActivityContext, tx: Tx, { workflow, task }: Locked): Promise<Subflow> {
  const graph = await graphOf(ctx, tx, workflow.graph_version);
  const compiled = taskOf(graph, task.name);
  const definition = ctx.workflows.get(workflow.name);
  const spec = definition?.runtime.get(task.name)?.subflow;
  if (compiled?.kind !== "subflow" || !definition || !spec) throw new ObsoleteTask(workflow.name, task.name);
  const child = ctx.workflows.get(compiled.workflow);
  if (!child || childStartTask(child.graph) === undefined) {
    throw new SubflowNotServed(workflow.name, task.name, compiled.workflow);
  }
  return { graph, definition, spec, child };
}

/** Fails the task with the error, as a failed machine task is recorded; a rerun schedules it again. */
async function fail(ctx: ActivityContext, tx: Tx, { workflow, task }: Locked, error: unknown, at: Date) {
  const { exception, stacktrace } = describeError(error);
  await failTask(tx, task.id, { exception, stacktrace, at });
  return await commitTransition(tx, workflow.id, { at, events: eventsWanted(ctx, workflow.name) });
}

/** Why a subflow task failed when its child did not end done. */
class SubflowFailed extends Error {
  override readonly name = "SubflowFailed";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `input`'s answer, which must be the child's state: an object. */
function childState(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) throw new TypeError("a subflow's input must return the child's state, an object");
  return value;
}
