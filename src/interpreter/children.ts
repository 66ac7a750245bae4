/**
 * Sub-workflows in Temporal's terms (workflow code): start a child, tell a child to cancel, tell a
 * parent that its child ended. The decisions are subflows.ts's; the store's changes are activities'.
 *
 * A child is a Temporal child workflow (the UI shows it under its parent) with the parent close policy
 * ABANDON: a parent that continues as new, or finishes just after cancelling its child, must not take
 * the child down with it before the child has applied its own cancelWorkflow. joeflow decides a child's
 * life with its messages instead: the parent cancels it with cancelWorkflow, and the child says when it
 * ends with a Signal to its parent's workflow id.
 */
import {
  ChildWorkflowFailure,
  defineSignal,
  getExternalWorkflowHandle,
  startChild,
  type ChildWorkflowHandle,
} from "@temporalio/workflow";
import { messageDefinitions } from "./definitions.ts";
import {
  type ChildRun,
  type InterpreterInput,
  type ParentRef,
  type StartSubflowOutcome,
  type SubflowEnded,
  temporalWorkflowId,
  WORKFLOW_TYPE,
} from "./protocol.ts";

/** The interpreter's type, named here without importing the workflow module. */
type Interpreter = (input: InterpreterInput) => Promise<void>;

/** A child tells its parent it ended; the parent applies it (or learns that it had already). */
export const subflowEndedSignal = defineSignal<[SubflowEnded]>("subflowEnded");

/**
 * Starts the child of a subflow task; resolves once Temporal started it, with its handle. Its id is
 * the child instance's, derived from the task's attempt, and never reused (REJECT_DUPLICATE): a second
 * start of the same attempt fails instead of running a finished child again.
 */
export async function launchChild(
  start: Extract<StartSubflowOutcome, { kind: "start" }>,
  parent: ParentRef,
  historyLimit: number | undefined,
): Promise<ChildWorkflowHandle<Interpreter>> {
  const { child, graph, task, state } = start;
  const input: InterpreterInput = {
    kind: "start",
    workflowId: child.workflowId,
    graph,
    task,
    state,
    user: null,
    parent,
    ...(historyLimit === undefined ? {} : { historyLimit }),
  };
  return await startChild<Interpreter>(WORKFLOW_TYPE, {
    workflowId: temporalWorkflowId(child.name, child.workflowId),
    args: [input],
    parentClosePolicy: "ABANDON",
    workflowIdReusePolicy: "REJECT_DUPLICATE",
  });
}

/** Why a child's workflow ended without a word of its own (terminated, timed out, failed). */
export function childFailure(error: unknown): string {
  const cause = error instanceof ChildWorkflowFailure ? (error.cause ?? error) : error;
  return `the child's workflow ended in Temporal: ${cause instanceof Error ? cause.message : String(cause)}`;
}

/** Cancels a child as a person would: its own cancelWorkflow message, so its tasks and status say so. */
export async function cancelChild(child: ChildRun): Promise<void> {
  const handle = getExternalWorkflowHandle(temporalWorkflowId(child.name, child.workflowId));
  await handle.signal(messageDefinitions("cancelWorkflow").signal, { user: null });
}

/** Tells the parent that this child ended; the parent reads how from the store. */
export async function tellParent(parent: ParentRef, ended: SubflowEnded): Promise<void> {
  await getExternalWorkflowHandle(temporalWorkflowId(parent.name, parent.workflowId)).signal(subflowEndedSignal, ended);
}
