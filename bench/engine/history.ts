/** Where one step's time goes, from the solo instances' histories (the server's event times). */
import type { Client } from "@temporalio/client";
import { EventType as E, eventMs, historyEvents } from "../support/history.ts";
import { median, ms } from "../support/stats.ts";
import { type Side, SIDES } from "./options.ts";
import type { RunResult } from "./runs.ts";

interface Breakdown {
  events: number;
  wfts: number;
  /** Per activity: scheduled -> started, started -> completed, completed -> the next one scheduled. */
  queue: number[];
  exec: number[];
  turnaround: number[];
  /** Per workflow task: scheduled -> started, started -> completed. */
  wftQueue: number[];
  wftRun: number[];
}

async function historyBreakdown(client: Client, temporalId: string): Promise<Breakdown> {
  const events = await historyEvents(client, temporalId);
  const scheduled = new Map<string, number>();
  const started = new Map<string, number>();
  const b: Breakdown = { events: events.length, wfts: 0, queue: [], exec: [], turnaround: [], wftQueue: [], wftRun: [] };
  let lastCompleted: number | undefined;
  let wftScheduledAt: number | undefined;
  let wftStartedAt: number | undefined;
  for (const e of events) {
    const at = eventMs(e);
    switch (e.eventType) {
      case E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        scheduled.set(String(e.eventId), at);
        if (lastCompleted !== undefined) b.turnaround.push(at - lastCompleted);
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        started.set(String(e.activityTaskStartedEventAttributes!.scheduledEventId), at);
        b.queue.push(at - scheduled.get(String(e.activityTaskStartedEventAttributes!.scheduledEventId))!);
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        b.exec.push(at - started.get(String(e.activityTaskCompletedEventAttributes!.scheduledEventId))!);
        lastCompleted = at;
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        wftScheduledAt = at;
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        b.wfts++;
        if (wftScheduledAt !== undefined) b.wftQueue.push(at - wftScheduledAt);
        wftStartedAt = at;
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        if (wftStartedAt !== undefined) b.wftRun.push(at - wftStartedAt);
        break;
    }
  }
  return b;
}

/** Prints, per side, the medians over all steps of its solo instances. */
export async function printStepBreakdown(client: Client, solo: Record<Side, RunResult[]>): Promise<void> {
  console.log(`\nwhere one step's time goes (solo instances, server event times, medians over all their steps)`);
  for (const side of SIDES) {
    const b: Breakdown[] = [];
    for (const r of solo[side]) b.push(await historyBreakdown(client, r.temporalIds[0]!));
    const all = (k: "queue" | "exec" | "turnaround" | "wftQueue" | "wftRun") => b.flatMap((x) => x[k]);
    console.log(`  ${side.padEnd(8)} history events ${b[0]!.events}, workflow tasks ${b[0]!.wfts}; ` +
      `activity scheduled->started ${ms(median(all("queue")))}, started->completed ${ms(median(all("exec")))}, ` +
      `completed->next scheduled ${ms(median(all("turnaround")))} ` +
      `(workflow task queued ${ms(median(all("wftQueue")))}, run ${ms(median(all("wftRun")))})`);
  }
}
