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
import { ApplicationFailure, type Workflow } from "@temporalio/common";
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
 * workflow has finished (done or canceled), or is finishing as the message arrives, is resumed with the
 * message in the same request (update-with-start), so the new run takes the message before it could
 * finish again. The update's id stays the same throughout: the message is applied once.
 */
async function sendMessage<K extends MessageName>(
  temporal: Client,
  taskQueue: string,
  to: Recipient,
  name: K,
  args: MessageArgs[K],
): Promise<MessageResult> {
  const workflowId = temporalWorkflowId(to.name, to.workflowId);
  const updateId = crypto.randomUUID();
  try {
    return await withTypedErrors(() =>
      temporal.workflow
        .getHandle(workflowId)
        .executeUpdate<MessageResult, [MessageArgs[K]]>(name, { args: [args], updateId }),
    );
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  const resume: InterpreterInput = { kind: "resume", workflowId: to.workflowId, graph: await to.graph() };
  return await withStart<MessageResult>(
    temporal,
    { taskQueue, workflowId, input: resume, conflict: "USE_EXISTING" },
    {
      name,
      args: [args],
      updateId,
    },
  );
}

/** Servers known to refuse update-with-start (older clusters, or with the API switched off). */
const withoutUpdateWithStart = new WeakSet<Client>();

interface Start {
  readonly taskQueue: string;
  readonly workflowId: string;
  readonly input: InterpreterInput;
  /** FAIL for a new instance; USE_EXISTING to resume one whose workflow may be running still. */
  readonly conflict: "FAIL" | "USE_EXISTING";
}

/**
 * Starts the interpreter and sends it an update in one round trip (update-with-start); a server that
 * refuses it gets the two calls, start and then the update.
 */
async function withStart<T>(
  temporal: Client,
  start: Start,
  update: { name: string; args: [] | [unknown]; updateId?: string },
): Promise<T> {
  const options = { taskQueue: start.taskQueue, workflowId: start.workflowId, args: [start.input] };
  if (!withoutUpdateWithStart.has(temporal)) {
    const startWorkflowOperation = new WithStartWorkflowOperation(WORKFLOW_TYPE, {
      ...options,
      workflowIdConflictPolicy: start.conflict,
    });
    try {
      return await withTypedErrors(() =>
        temporal.workflow.executeUpdateWithStart<Workflow, T, [] | [unknown]>(update.name, {
          args: update.args,
          updateId: update.updateId,
          startWorkflowOperation,
        }),
      );
    } catch (error) {
      if (!refusesUpdateWithStart(error)) throw error;
      withoutUpdateWithStart.add(temporal);
    }
  }
  await temporal.workflow.start(WORKFLOW_TYPE, { ...options, workflowIdConflictPolicy: start.conflict });
  const handle = temporal.workflow.getHandle(start.workflowId);
  const { name, args, updateId } = update;
  const send = () =>
    withTypedErrors(() =>
      args.length === 0
        ? handle.executeUpdate<T, []>(name, { updateId })
        : handle.executeUpdate<T, [unknown]>(name, { args, updateId }),
    );
  try {
    return await send();
  } catch (error) {
    // A resumed run with nothing open may finish before the separate update reaches it: start it once
    // more (the update id is the same, so the message still commits once).
    if (!(error instanceof WorkflowNotFoundError) || start.conflict !== "USE_EXISTING") throw error;
  }
  await temporal.workflow.start(WORKFLOW_TYPE, { ...options, workflowIdConflictPolicy: "USE_EXISTING" });
  return await send();
}

/** Starts an instance and returns once its first transaction has committed. */
async function startAndWait(temporal: Client, taskQueue: string, name: string, input: InterpreterInput): Promise<void> {
  const workflowId = temporalWorkflowId(name, input.workflowId);
  await withStart(temporal, { taskQueue, workflowId, input, conflict: "FAIL" }, { name: "started", args: [] });
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
