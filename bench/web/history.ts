/** The server-side steps of the measured updates (workflow task, activity queue and run, workflow task), from histories. */
import type { Client } from "@temporalio/client";
import { EventType as E, eventMs, type HistoryEvent, historyEvents } from "../support/history.ts";
import { ms, percentile } from "../support/stats.ts";

/** An accepted update of the kind measured: a floor update or joeflow's completeTask (not `started`). */
function measuredUpdate(e: HistoryEvent): boolean {
  const name = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
  return e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED && (name === "completeTask" || name === "floor");
}

/** The events from the update accepted at `k` up to the next accepted update. */
function untilNextUpdate(events: HistoryEvent[], k: number, from = k): HistoryEvent[] {
  const nextAccepted = events.findIndex((x, j) => j > k && x.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  return events.slice(from, nextAccepted < 0 ? undefined : nextAccepted);
}

type Steps = Record<"wft1Queue" | "wft1Run" | "actQueue" | "actRun" | "wft2Queue" | "wft2Run" | "span", number[]>;

/** Adds the steps of the update accepted at `k`: the workflow task that took it, its activity, the workflow task after. */
function addSteps(steps: Steps, events: HistoryEvent[], k: number): void {
  const is = (type: number) => (x: HistoryEvent) => x.eventType === type;
  const before = events.slice(0, k);
  const s1 = before.findLast(is(E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED));
  const st1 = before.findLast(is(E.EVENT_TYPE_WORKFLOW_TASK_STARTED));
  const c1 = before.findLast(is(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED));
  const after = untilNextUpdate(events, k);
  const done = after.find(is(E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED));
  if (!s1 || !st1 || !c1 || !done) return;
  steps.wft1Queue.push(eventMs(st1) - eventMs(s1));
  steps.wft1Run.push(eventMs(c1) - eventMs(st1));
  steps.span.push(eventMs(done) - eventMs(s1));
  const as = after.find(is(E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED));
  const ast = after.find(is(E.EVENT_TYPE_ACTIVITY_TASK_STARTED));
  const ac = after.find(is(E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED));
  if (!as || !ast || !ac) return;
  const rest = after.slice(after.indexOf(ac));
  const s2 = rest.find(is(E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED));
  const st2 = rest.find(is(E.EVENT_TYPE_WORKFLOW_TASK_STARTED));
  const c2 = rest.find(is(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED));
  steps.actQueue.push(eventMs(ast) - eventMs(as));
  steps.actRun.push(eventMs(ac) - eventMs(ast));
  if (s2 && st2 && c2) {
    steps.wft2Queue.push(eventMs(st2) - eventMs(s2));
    steps.wft2Run.push(eventMs(c2) - eventMs(st2));
  }
}

/** One update's events as a timeline (+ms from its workflow task being scheduled), or "" if there is none in [from, to]. */
async function timeline(client: Client, id: string, from: number, to: number): Promise<string> {
  const events = await historyEvents(client, id);
  const k = events.findIndex((e) => measuredUpdate(e) && eventMs(e) >= from && eventMs(e) <= to);
  if (k < 0) return "";
  const startAt = events.slice(0, k).findLastIndex((x) => x.eventType === E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  const span = untilNextUpdate(events, k, startAt);
  const t0 = eventMs(span[0]!);
  const short = (e: HistoryEvent) => String(E[e.eventType!]).replace("EVENT_TYPE_", "").replace("WORKFLOW_EXECUTION_", "")
    .replace("WORKFLOW_TASK_", "WFT_").replace("ACTIVITY_TASK_", "ACT_").toLowerCase();
  if (process.env.BENCH_WEB_DEBUG_HISTORY) {
    const first = eventMs(events[0]!);
    console.log(`DEBUG history of ${id}:\n` + events.map((e) => `  ${e.eventId} +${(eventMs(e) - first).toFixed(0)} ${E[e.eventType!]} ` +
      `${e.activityTaskScheduledEventAttributes?.activityType?.name ?? ""}${e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? ""}`).join("\n"));
  }
  return `\n      one update's events after its workflow task was scheduled (${id}, ${span.length} events): ` +
    span.map((e) => `${short(e)} +${(eventMs(e) - t0).toFixed(0)}`).join(", ");
}

/** The steps of each update accepted in [from, to] (epoch ms) by these workflows (at most 60), p50 of each. */
export async function historySteps(client: Client, temporalIds: readonly string[], from = 0, to = Infinity): Promise<string> {
  const steps: Steps = { wft1Queue: [], wft1Run: [], actQueue: [], actRun: [], wft2Queue: [], wft2Run: [], span: [] };
  for (const id of temporalIds) {
    const events = await historyEvents(client, id);
    events.forEach((e, k) => {
      if (!measuredUpdate(e) || eventMs(e) < from || eventMs(e) > to) return;
      if (steps.span.length >= 60) return;
      addSteps(steps, events, k);
    });
  }
  const first = temporalIds[0];
  const oneUpdate = first === undefined ? "" : await timeline(client, first, from, to);
  const p = (k: keyof Steps) => ms(percentile(steps[k], 50));
  const activity = steps.actRun.length
    ? `; activity queued ${p("actQueue")}, ran ${p("actRun")}; workflow task queued ${p("wft2Queue")}, ran ${p("wft2Run")}`
    : "";
  return `server-side steps of an update (history event times, p50 of ${steps.span.length}): ` +
    `workflow task queued ${p("wft1Queue")}, ran ${p("wft1Run")}${activity}; workflow task scheduled -> update completed ${p("span")}${oneUpdate}`;
}
