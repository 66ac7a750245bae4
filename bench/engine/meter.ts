/**
 * What the engine bench measures inside this process while a run goes: when each step's body ran,
 * the activities (time, CPU, which are in flight) and the SQL statements.
 */
import { performance } from "node:perf_hooks";
import type { ActivityInterceptorsFactory } from "@temporalio/worker";
import type { Side } from "./options.ts";

export const meter = {
  /** performance.now() each time a step's body runs, by instance (joeflow: the user's function). */
  marks: new Map<string, number[]>(),
  /** Activities running now, with their start time (for the stall diagnosis). */
  inFlight: new Map<string, number>(),
  /** Activity durations (ms) by side and activity type, as the worker saw them; reset per attempt. */
  activities: [] as { side: Side; type: string; ms: number }[],
  activitiesDone: 0,
  /** CPU time of this process while activities ran (summed per execution). */
  activityCpuMs: 0,
  /** Statements Kysely ran (BEGIN/COMMIT included), and the time spent waiting for them. */
  sql: { count: 0, ms: 0 },
};

export function probe(workflowId: string): void {
  let list = meter.marks.get(workflowId);
  if (!list) meter.marks.set(workflowId, list = []);
  list.push(performance.now());
}

/** Intervals between consecutive step bodies of these instances. */
export function stepIntervals(ids: readonly string[]): number[] {
  const out: number[] = [];
  for (const id of ids) {
    const list = meter.marks.get(id) ?? [];
    for (let i = 1; i < list.length; i++) out.push(list[i]! - list[i - 1]!);
  }
  return out;
}

export function countSql(event: { queryDurationMillis: number }): void {
  meter.sql.count++;
  meter.sql.ms += event.queryDurationMillis;
}

/** The activity interceptor of a side's worker. */
export function timing(side: Side): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const key = `${ctx.info.workflowExecution?.workflowId} ${ctx.info.activityType}#${ctx.info.activityId} attempt ${ctx.info.attempt}`;
        meter.inFlight.set(key, t0);
        try {
          return await next(input);
        } finally {
          meter.inFlight.delete(key);
          meter.activities.push({ side, type: ctx.info.activityType, ms: performance.now() - t0 });
          const c = process.cpuUsage(c0);
          meter.activityCpuMs += (c.user + c.system) / 1000; // process-wide: only attributable when activities do not overlap (solo)
          meter.activitiesDone++;
        }
      },
    },
  });
}
