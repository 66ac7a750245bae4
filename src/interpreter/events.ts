/**
 * The interpreter's pure decisions about hook events: which outbox rows a reply hands it to deliver,
 * and how their delivery is retried. Tested without Temporal (test/interpreter/events.test.ts).
 */
import type { Snapshot } from "./protocol.ts";

/** Attempts per event before it is marked failed: about two minutes of retries, then it gives up. */
export const HOOK_MAX_ATTEMPTS = 8;

/**
 * Backoff between attempts: 1 s doubling (1, 2, 4, ... 64 s). Bounded, never forever: a hook that
 * keeps failing is recorded failed with its error, on the workflow page and in the API.
 */
export const HOOK_RETRY = {
  initialInterval: "1 second",
  backoffCoefficient: 2,
  maximumInterval: "2 minutes",
  // The activity marks the event failed on its last attempt itself; this bound is the backstop for
  // an attempt that cannot even record its end (the database away).
  maximumAttempts: HOOK_MAX_ATTEMPTS,
} as const;

/** A reply that may carry hook events: a snapshot, or a run's outcome (a chain's steps' events). */
export type WithEvents = Pick<Snapshot, "events">;

/**
 * The events of a reply not being delivered already. A retried step hands over every undelivered
 * event of the instance, some of which may be in flight; those are not started twice.
 */
export function newEvents(reply: WithEvents | null | undefined, inFlight: ReadonlySet<string>): string[] {
  return [...new Set(reply?.events ?? [])].filter((id) => !inFlight.has(id));
}
