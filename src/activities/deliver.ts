/**
 * Delivers one hook event from the outbox, after the transaction that wrote it committed: runs the
 * hook of its owner (the definition or the worker) and records the attempt in the event's row. A
 * delivered event is skipped, so a redelivered activity runs no hook twice once it has succeeded.
 */
import type { HookEvent } from "../definition/hooks.ts";
import type { DeliverEventInput, DeliverEventOutcome } from "../interpreter/protocol.ts";
import { findEvent, recordAttempt } from "../store/events.ts";
import type { EventRow } from "../store/schema.ts";
import type { ActivityContext } from "./context.ts";
import { describeError } from "./machine.ts";

/** How long one run of a hook may take before it counts as failed (the activity's own timeout is longer). */
export const HOOK_TIMEOUT_MS = 30_000;

export async function deliverEvent(
  ctx: ActivityContext,
  input: DeliverEventInput,
  attempt: { readonly number: number; readonly signal: AbortSignal },
): Promise<DeliverEventOutcome> {
  const row = await findEvent(ctx.db, input.eventId);
  if (row?.status !== "pending") return { status: row?.status ?? "delivered" };
  const attempts = row.attempts + 1;
  try {
    await runHook(ctx, row, attempt);
  } catch (error) {
    const message = describeError(error).exception;
    const last = attempt.number >= input.maxAttempts;
    await recordAttempt(ctx.db, row.id, { status: last ? "failed" : "pending", attempts, error: message, at: now() });
    // Thrown, Temporal retries after its backoff; on the last attempt the event is failed for good, and
    // the interpreter goes on: a failing hook never holds the workflow up.
    if (last) return { status: "failed" };
    throw error;
  }
  await recordAttempt(ctx.db, row.id, { status: "delivered", attempts, error: null, at: now() });
  return { status: "delivered" };
}

async function runHook(
  ctx: ActivityContext,
  row: EventRow,
  attempt: { readonly number: number; readonly signal: AbortSignal },
): Promise<void> {
  const event = row.payload as unknown as HookEvent;
  const hooks = row.target === "worker" ? ctx.hooks : ctx.workflows.get(event.workflow.name)?.on;
  const hook = hooks?.[event.kind] as ((event: HookEvent, context: object) => unknown) | undefined;
  if (!hook) throw new Error(`this worker has no ${row.target} hook for ${event.kind} any more`);
  const timeout = AbortSignal.timeout(HOOK_TIMEOUT_MS);
  const signal = AbortSignal.any([attempt.signal, timeout]);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () =>
      reject(timeout.aborted ? new Error(`the hook took longer than ${HOOK_TIMEOUT_MS} ms`) : signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([Promise.resolve(hook(event, { signal, attempt: attempt.number })), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort!);
  }
}

/** Real time, not the change's: an attempt's record says when it happened. */
function now(): Date {
  return new Date();
}
