/** The interpreter's Temporal messages and query, by name: shared by the workflow, the client and tests. */
import { defineQuery, defineSignal, defineUpdate } from "@temporalio/workflow";
import type { MessageArgs, MessageName, MessageResult } from "../messages/args.ts";
import type { Pending, Snapshot } from "./protocol.ts";

/** Each message as a Signal (fire and forget) and as an Update (with a reply), under the same name. */
export function messageDefinitions<K extends MessageName>(name: K) {
  return {
    signal: defineSignal<[MessageArgs[K]]>(name),
    update: defineUpdate<MessageResult, [MessageArgs[K]]>(name),
  };
}

/** Resolves once the instance and its first tasks are in the database; returns its status. */
export const startedUpdate = defineUpdate<Snapshot["status"], []>("started");

/** What the instance still waits for; `idle()` in tests asks it. */
export const pendingQuery = defineQuery<Pending>("pending");

/**
 * Does nothing but wake the workflow: its loop then looks at its history's length again, and continues
 * as new if it is due to. `idle()` in tests sends it rather than asking `pending` of a run that is due
 * to continue as new: a query would be the activation that decides it, and the time-skipping test
 * server leaves its clock locked after a query that meets a continue-as-new.
 */
export const wakeSignal = defineSignal("wake");
