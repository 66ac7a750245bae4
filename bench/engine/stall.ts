/**
 * Stall detection: the dev server can lose an activity task on an overloaded machine, and the instance
 * then waits for the 10-minute start-to-close timeout. watch() notices that nothing moves, says what is
 * stuck (Temporal's view, the database's, the worker's, PostgreSQL's sessions) and gives the run up.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { EventType } from "../support/history.ts";
import { sec } from "../support/stats.ts";
import { meter } from "./meter.ts";
import { deadline, options } from "./options.ts";
import type { Rig } from "./runs.ts";

/** What one attempt has started and finished, for the progress lines and the stall diagnosis. */
export interface Progress { started: Map<string, string>; done: Set<string>; starting: number }
export const newProgress = (): Progress => ({ started: new Map(), done: new Set(), starting: 0 });

/** Thrown by watch() when nothing moved for --stall seconds (a retry may help), not at the --timeout. */
export class Stalled extends Error {}

/**
 * Waits for a run, printing progress every 15 s; gives up at the --timeout, or when nothing moved
 * (no activity finished, no instance done) for --stall seconds, describing what is stuck.
 */
export async function watch<T>(what: string, rig: Rig, progress: Progress, promise: Promise<T>): Promise<T> {
  const t0 = performance.now();
  let lastMove = performance.now();
  let seen = "";
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const now = `${meter.activitiesDone}/${progress.done.size}`;
      if (now !== seen) {
        seen = now;
        lastMove = performance.now();
      }
      const elapsed = performance.now() - t0;
      if (elapsed > 15_000 && Math.floor(elapsed / 1000) % 15 === 0) {
        console.log(`    ... ${what}: ${sec(elapsed)}, ${progress.done.size}/${progress.started.size} done, ${progress.starting} starting, ${meter.activitiesDone} activities finished`);
      }
      const reason = Date.now() > deadline ? `over the --timeout of ${options.timeoutS} s`
        : performance.now() - lastMove > options.stallS * 1000 ? `nothing moved for ${options.stallS} s` : undefined;
      if (reason) {
        clearInterval(timer);
        const stalled = Date.now() <= deadline;
        diagnose(rig, progress).catch((e) => `diagnosis failed: ${e}`)
          .then((text) => reject(stalled ? new Stalled(`${what}: ${reason}\n${text}`) : new Error(`${what}: ${reason}\n${text}`)));
      }
    }, 1000);
  });
  try {
    return await Promise.race([promise, stuck]);
  } finally {
    clearInterval(timer);
  }
}

async function diagnose(rig: Rig, progress: Progress): Promise<string> {
  const open = [...progress.started].filter(([id]) => !progress.done.has(id));
  const lines = [`${open.length} of ${progress.started.size} started instances not done; ${progress.starting} start calls not returned`];
  for (const [, temporalId] of open.slice(0, 3)) lines.push(...await describeInstance(rig, temporalId));
  const now = performance.now();
  const old = [...meter.inFlight].filter(([, t]) => now - t > 10_000);
  lines.push(`activities in flight in this process: ${meter.inFlight.size}, ${old.length} of them for more than 10 s:`);
  for (const [key, t] of old.slice(0, 5)) lines.push(`  ${key}: ${sec(now - t)}`);
  lines.push(`pg pool: total ${rig.pool.totalCount}, idle ${rig.pool.idleCount}, waiting ${rig.pool.waitingCount}`);
  lines.push(...await describeSessions(rig.pool));
  return lines.join("\n");
}

/** Temporal's view of a stuck instance (pending activities and workflow task), and its task rows. */
async function describeInstance(rig: Rig, temporalId: string): Promise<string[]> {
  const lines: string[] = [];
  const handle = rig.client.workflow.getHandle(temporalId);
  try {
    const d = await handle.describe();
    const history = await handle.fetchHistory();
    const events = (history.events ?? []).slice(-6).map((e) => `${e.eventId}:${EventType[e.eventType!]}`);
    const pendingActs = (d.raw.pendingActivities ?? []).map((a) =>
      `${a.activityType?.name} state=${a.state} attempt=${a.attempt} lastFailure=${a.lastFailure?.message ?? "-"}`);
    lines.push(`  ${temporalId}: ${d.status.name}, history ${d.historyLength} events, last ${events.join(" ")}; ` +
      `pending activities [${pendingActs.join("; ")}]; pending workflow task ${d.raw.pendingWorkflowTask ? JSON.stringify({ state: d.raw.pendingWorkflowTask.state, attempt: d.raw.pendingWorkflowTask.attempt }) : "none"}`);
    const id = temporalId.slice(temporalId.indexOf("-") + 1);
    const rows = await rig.db.selectFrom("joeflow_task").select(["name", "status"]).where("workflow_id", "=", id)
      .orderBy("seq").execute();
    lines.push(`    its tasks in the database: ${rows.map((r) => `${r.name}:${r.status}`).join(" ")}`);
    if (temporalId.startsWith("bench_chain-")) {
      const pending = await handle.query("pending").catch((e: unknown) => `query failed: ${e}`);
      lines.push(`    pending query: ${JSON.stringify(pending)}`);
    }
  } catch (error) {
    lines.push(`  ${temporalId}: describe failed: ${error}`);
  }
  return lines;
}

/** PostgreSQL sessions of the bench's database that are not idle, and which block which. */
async function describeSessions(pool: pg.Pool): Promise<string[]> {
  const lines: string[] = [];
  try {
    const client = new pg.Client({ connectionString: (pool.options as { connectionString: string }).connectionString });
    await client.connect();
    try {
      const activity = await client.query(`select pid, state, wait_event_type, wait_event, now() - xact_start as xact_age,
        left(query, 120) as query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
        and state <> 'idle' order by xact_start`);
      lines.push(`pg sessions not idle: ${activity.rows.length}`);
      for (const r of activity.rows.slice(0, 25)) lines.push(`  ${JSON.stringify(r)}`);
      const blocked = await client.query(`select pid, pg_blocking_pids(pid) as blockers from pg_stat_activity
        where cardinality(pg_blocking_pids(pid)) > 0`);
      lines.push(`pg sessions blocked by others: ${JSON.stringify(blocked.rows)}`);
    } finally {
      await client.end();
    }
  } catch (error) {
    lines.push(`pg diagnosis failed: ${error}`);
  }
  return lines;
}
