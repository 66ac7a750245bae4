import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from "@temporalio/client";
import { ApplicationFailure } from "@temporalio/common";
import { type ErrorData, errorFromData } from "../errors.ts";
import type { CompiledGraph } from "../graph/types.ts";
import {
  type InterpreterInput, type MessageArgs, type MessageName, type MessageResult, temporalWorkflowId, WORKFLOW_TYPE,
} from "../interpreter/protocol.ts";

export interface Target {
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly workflowId: string;
  readonly name: string;
  /** The instance's graph, to resume its Temporal workflow if it has finished. */
  readonly graph: () => Promise<CompiledGraph>;
}

/**
 * Sends a message as an Update and returns its reply after the commit. An instance whose Temporal
 * workflow has finished (done or canceled) is resumed first: an override reopens it.
 */
export async function sendMessage<K extends MessageName>(target: Target, name: K, args: MessageArgs[K]): Promise<MessageResult> {
  const handle = target.temporal.workflow.getHandle(temporalWorkflowId(target.name, target.workflowId));
  try {
    return await withTypedErrors(() => handle.executeUpdate<MessageResult, [MessageArgs[K]]>(name, { args: [args] }));
  } catch (error) {
    if (!isClosed(error)) throw error;
  }
  await startInterpreter(target.temporal, target.taskQueue, target.name, {
    kind: "resume", workflowId: target.workflowId, graph: await target.graph(),
  });
  return await withTypedErrors(() => handle.executeUpdate<MessageResult, [MessageArgs[K]]>(name, { args: [args] }));
}

export async function startInterpreter(temporal: Client, taskQueue: string, name: string, input: InterpreterInput): Promise<void> {
  await temporal.workflow.start(WORKFLOW_TYPE, {
    taskQueue,
    workflowId: temporalWorkflowId(name, input.workflowId),
    args: [input],
    workflowIdConflictPolicy: "USE_EXISTING",
  });
}

/** Servers known to refuse update-with-start (older clusters, or with the API switched off). */
const withoutUpdateWithStart = new WeakSet<Client>();
/** gRPC's status code for a method the server does not have. */
const UNIMPLEMENTED = 12;

/**
 * Starts an instance and returns once its first transaction has committed. Update-with-start makes
 * that one round trip instead of two (a start, then the `started` update); a server that refuses it
 * gets the two calls.
 */
export async function startAndWait(temporal: Client, taskQueue: string, name: string, input: InterpreterInput): Promise<void> {
  const workflowId = temporalWorkflowId(name, input.workflowId);
  if (!withoutUpdateWithStart.has(temporal)) {
    const startWorkflowOperation = new WithStartWorkflowOperation(WORKFLOW_TYPE, {
      taskQueue, workflowId, args: [input], workflowIdConflictPolicy: "FAIL",
    });
    try {
      await withTypedErrors(() => temporal.workflow.executeUpdateWithStart("started", { startWorkflowOperation }));
      return;
    } catch (error) {
      if (!refusesUpdateWithStart(error)) throw error;
      withoutUpdateWithStart.add(temporal);
    }
  }
  await startInterpreter(temporal, taskQueue, name, input);
  await withTypedErrors(() => temporal.workflow.getHandle(workflowId).executeUpdate("started"));
}

function refusesUpdateWithStart(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (code === UNIMPLEMENTED) return true;
    if (e instanceof Error && /ExecuteMultiOperation|multi.?operation/i.test(e.message)) return true;
  }
  return false;
}

/** Turns an update's ApplicationFailure back into the typed joeflow error it carries. */
export async function withTypedErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const data = carriedError(error);
    throw data ? errorFromData(data) : error;
  }
}

function carriedError(error: unknown): ErrorData | undefined {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const data = cause.details?.[0] as ErrorData | undefined;
  return data && typeof data === "object" && "code" in data ? data : undefined;
}

function isClosed(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : "";
  return /already completed|not found/i.test(text);
}
