/**
 * How the interpreter answers messages: the applyMessage input it sends, and the reply it derives
 * from the outcome. Pure; the workflow turns an error reply into an ApplicationFailure.
 */
import type { ErrorData } from "../errors.ts";
import type { MessageArgs, MessageName, MessageResult } from "../messages/args.ts";
import type { ApplyMessageInput, MessageOutcome, Snapshot } from "./protocol.ts";
import { type State, withSnapshot } from "./state.ts";

export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorData };

/**
 * The input of applyMessage. TypeScript cannot tell that a generic `name` and `args` belong to
 * the same member of the ApplyMessageInput union; the signature of this function makes sure they do.
 */
export function messageInput<K extends MessageName>(
  workflowId: string,
  name: K,
  args: MessageArgs[K],
  messageId: string,
  at: number,
): ApplyMessageInput {
  return { workflowId, name, args, messageId, at } as ApplyMessageInput;
}

/**
 * Takes the outcome's snapshot (a failed message may still return one: the instance as it is) and
 * answers with the affected task and the instance's status after, or with the error.
 */
export function settle(state: State, outcome: MessageOutcome): { state: State; reply: Reply<MessageResult> } {
  const next = withSnapshot(state, outcome.snapshot);
  if (!outcome.ok) return { state: next, reply: { ok: false, error: outcome.error } };
  // The newest snapshot, which may be newer than the outcome's if another transaction overtook it.
  const status = (next.snapshot ?? outcome.snapshot).status;
  return { state: next, reply: { ok: true, value: { taskId: outcome.value.taskId, status } } };
}

/** The `started` update's answer, once started: the instance's status, or that there is no instance. */
export function startedReply(state: State, workflowId: string): Reply<Snapshot["status"]> {
  if (state.startError) return { ok: false, error: state.startError };
  if (!state.snapshot) return { ok: false, error: { code: "UnknownWorkflow", workflow: workflowId } };
  return { ok: true, value: state.snapshot.status };
}
