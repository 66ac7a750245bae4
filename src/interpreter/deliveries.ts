/**
 * Hook deliveries, started by the interpreter after the commit of the change they report: one
 * activity per outbox row, retried with backoff a bounded number of times. They never block the
 * workflow's steps, but are awaited before the run finishes or continues as new, so that no promise
 * is left floating and no delivery is cut off by the end of the run.
 */
import { condition, log, proxyActivities } from "@temporalio/workflow";
import { HOOK_MAX_ATTEMPTS, HOOK_RETRY, newEvents, type WithEvents } from "./events.ts";
import type { InterpreterActivities } from "./protocol.ts";

const hooks = proxyActivities<Pick<InterpreterActivities, "deliverEvent">>({
  // Longer than a hook's own time limit (HOOK_TIMEOUT_MS), so the activity records a slow hook's failure.
  startToCloseTimeout: "1 minute",
  retry: HOOK_RETRY,
});

export class Deliveries {
  private readonly inFlight = new Set<string>();

  /** Starts delivering the events a reply carries; not awaited (see `settled`). */
  deliver(reply: WithEvents | null | undefined): void {
    for (const eventId of newEvents(reply, this.inFlight)) {
      this.inFlight.add(eventId);
      void this.one(eventId);
    }
  }

  get idle(): boolean {
    return this.inFlight.size === 0;
  }

  /** Resolves when every delivery started so far has ended. */
  async settled(): Promise<void> {
    await condition(() => this.idle);
  }

  /** Catches every error, so the promise never rejects: a failing hook is the event's row's news. */
  private async one(eventId: string): Promise<void> {
    try {
      await hooks.deliverEvent({ eventId, maxAttempts: HOOK_MAX_ATTEMPTS });
    } catch (error) {
      log.warn("hook event was not delivered", { eventId, error: String(error) });
    } finally {
      this.inFlight.delete(eventId);
    }
  }
}
