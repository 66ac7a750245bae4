/**
 * Sending to the interpreter over Temporal: messages as Updates, starts by update-with-start. Errors
 * are recognised by their types and gRPC codes, never by their messages.
 */
import {
  type Client,
  isGrpcServiceError,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from "@temporalio/client";
import { ApplicationFailure } from "@temporalio/common";
import { errorFromData, isErrorData } from "../errors.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type { MessageArgs, MessageName, MessageResult } from "../messages/args.ts";
import { type InterpreterInput, temporalWorkflowId, WORKFLOW_TYPE } from "../interpreter/protocol.ts";

/** Where a message goes: an instance, by id and workflow name. */
export interface Recipient {
  readonly workflowId: string;
  readonly name: string;
  /** The instance's graph, to resume its Temporal workflow if it has finished. */
  graph(): Promise<CompiledGraph>;
}

/** How the client reaches the interpreter: Temporal in production. */
export interface Transport {
  start(name: string, input: Extract<InterpreterInput, { kind: "start" }>): Promise<void>;
  send<K extends MessageName>(to: Recipient, message: K, args: MessageArgs[K]): Promise<MessageResult>;
}

export function temporalTransport(temporal: Client, taskQueue: string): Transport {
  return {
    start: (name, input) => startAndWait(temporal, taskQueue, name, input),
    send: (to, message, args) => sendMessage(temporal, taskQueue, to, message, args),
  };
}

/**
 * Sends a message as an Update and returns its reply after the commit. An instance whose Temporal
 * workflow has finished (done or canceled) is resumed first: an override reopens it.
 */
async function sendMessage<K extends MessageName>(
  temporal: Client,
  taskQueue: string,
  to: Recipient,
  name: K,
  args: MessageArgs[K],
): Promise<MessageResult> {
  const handle = temporal.workflow.getHandle(temporalWorkflowId(to.name, to.workflowId));
  const update = () =>
    withTypedErrors(() => handle.executeUpdate<MessageResult, [MessageArgs[K]]>(name, { args: [args] }));
  try {
    return await update();
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  await startInterpreter(temporal, taskQueue, to.name, {
    kind: "resume",
    workflowId: to.workflowId,
    graph: await to.graph(),
  });
  return await update();
}

async function startInterpreter(
  temporal: Client,
  taskQueue: string,
  name: string,
  input: InterpreterInput,
): Promise<void> {
  await temporal.workflow.start(WORKFLOW_TYPE, {
    taskQueue,
    workflowId: temporalWorkflowId(name, input.workflowId),
    args: [input],
    workflowIdConflictPolicy: "USE_EXISTING",
  });
}

/** Servers known to refuse update-with-start (older clusters, or with the API switched off). */
const withoutUpdateWithStart = new WeakSet<Client>();

/**
 * Starts an instance and returns once its first transaction has committed. Update-with-start makes
 * that one round trip instead of two (a start, then the `started` update); a server that refuses it
 * gets the two calls.
 */
async function startAndWait(temporal: Client, taskQueue: string, name: string, input: InterpreterInput): Promise<void> {
  const workflowId = temporalWorkflowId(name, input.workflowId);
  if (!withoutUpdateWithStart.has(temporal)) {
    const startWorkflowOperation = new WithStartWorkflowOperation(WORKFLOW_TYPE, {
      taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: "FAIL",
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

/** gRPC's codes for a method the server does not have, or has switched off. */
const UNIMPLEMENTED = 12;
const PERMISSION_DENIED = 7;

function refusesUpdateWithStart(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && (e.code === UNIMPLEMENTED || e.code === PERMISSION_DENIED)) return true;
  }
  return false;
}

/** Turns an update's ApplicationFailure back into the typed joeflow error it carries. */
async function withTypedErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    const data = cause instanceof ApplicationFailure ? cause.details?.[0] : undefined;
    throw isErrorData(data) ? errorFromData(data) : error;
  }
}
