/**
 * One run of a side: n instances started at once and awaited, checked in the database, repeated with
 * new instances when it stalls; its measurements printed.
 */
import { performance } from "node:perf_hooks";
import type { Client } from "@temporalio/client";
import type { Kysely } from "kysely";
import type pg from "pg";
import type { AnyWorkflow, createJoeflow } from "joeflow";
import { uuidv7 } from "../../src/ids.ts";
import { temporalWorkflowId, WORKFLOW_TYPE } from "../../src/interpreter/protocol.ts";
import type { JoeflowDatabase } from "../../src/store/schema.ts";
import { type Cpu, cpuNow } from "../support/cpu.ts";
import { dist, ms, sec } from "../support/stats.ts";
import type { baselineChain } from "./baseline-workflow.ts";
import { meter, stepIntervals } from "./meter.ts";
import { options, type Side } from "./options.ts";
import { newProgress, type Progress, Stalled, watch } from "./stall.ts";
import { BASELINE_QUEUE } from "./workers.ts";

/** What the runs work with. */
export interface Rig {
  client: Client;
  db: Kysely<JoeflowDatabase>;
  pool: pg.Pool;
  joeflow: ReturnType<typeof createJoeflow>;
  chain: AnyWorkflow;
}

export interface RunResult {
  side: Side;
  instances: number;
  wallMs: number;
  ids: string[];
  startMs: number[]; // client: start call -> start returned
  totalMs: number[]; // client: start call -> result
  temporalIds: string[];
  /** CPU ms used during the run: this process (workers + client), the dev server, our PostgreSQL backends. */
  cpu?: Cpu;
  sql?: { count: number; ms: number };
  /** CPU of this process during activity executions (solo runs only). */
  activityCpuMs?: number;
}

/** Stalled attempts, one line each, for the summary. */
export const stallReports: string[] = [];

interface Instance { workflowId: string; temporalId: string; startMs: number; totalMs: number }

/** Runs n instances at once, each started and awaited by `instance`. */
async function runMany(side: Side, n: number, instance: () => Promise<Instance>): Promise<RunResult> {
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: n }, instance));
  const wallMs = performance.now() - t0;
  return {
    side, instances: n, wallMs, ids: results.map((r) => r.workflowId), startMs: results.map((r) => r.startMs),
    totalMs: results.map((r) => r.totalMs), temporalIds: results.map((r) => r.temporalId),
  };
}

function runJoeflow(rig: Rig, n: number, progress: Progress): Promise<RunResult> {
  return runMany("joeflow", n, async () => {
    const s = performance.now();
    progress.starting++;
    const { workflowId } = await rig.joeflow.start(rig.chain, { state: { count: 0 } }).finally(() => progress.starting--);
    const started = performance.now();
    const temporalId = temporalWorkflowId(rig.chain.name, workflowId);
    progress.started.set(temporalId, temporalId);
    await rig.client.workflow.getHandle(temporalId).result();
    progress.done.add(temporalId);
    return { workflowId, temporalId, startMs: started - s, totalMs: performance.now() - s };
  });
}

function runBaseline(rig: Rig, n: number, progress: Progress): Promise<RunResult> {
  return runMany("baseline", n, async () => {
    const s = performance.now();
    const workflowId = uuidv7();
    const temporalId = `baseline-${workflowId}`;
    progress.started.set(temporalId, temporalId);
    const handle = await rig.client.workflow.start<typeof baselineChain>("baselineChain", {
      taskQueue: BASELINE_QUEUE, workflowId: temporalId, args: [{ workflowId, steps: options.steps }],
    });
    const started = performance.now();
    await handle.result();
    progress.done.add(temporalId);
    return { workflowId, temporalId, startMs: started - s, totalMs: performance.now() - s };
  });
}

/** Both sides must have written the same rows: every instance done, count = steps, steps + 1 tasks. */
async function verify(rig: Rig, run: RunResult): Promise<void> {
  const steps = options.steps;
  const rows = await rig.db.selectFrom("joeflow_workflow as w")
    .select(["w.id", "w.status", "w.state", "w.revision"])
    .select((eb) => eb.selectFrom("joeflow_task as t").whereRef("t.workflow_id", "=", "w.id")
      .select((e) => e.fn.countAll<string>().as("n")).as("tasks"))
    .select((eb) => eb.selectFrom("joeflow_state_change as c").whereRef("c.workflow_id", "=", "w.id")
      .select((e) => e.fn.countAll<string>().as("n")).as("changes"))
    .where("w.id", "in", run.ids).execute();
  const bad = rows.filter((r) =>
    r.status !== "done" || (r.state as { count: number }).count !== steps || Number(r.tasks) !== steps + 1 ||
    Number(r.changes) !== steps + 1 || r.revision !== steps + 1
  );
  if (rows.length !== run.ids.length || bad.length > 0) {
    throw new Error(`${run.side}: ${run.ids.length - rows.length} instances missing, ${bad.length} wrong, e.g. ${JSON.stringify(bad[0])}`);
  }
}

/** A run of n instances, checked and printed. */
export async function run(rig: Rig, side: Side, n: number, label: string): Promise<RunResult> {
  const { result, cpu, sqlCount, sqlMs } = await attempt(rig, side, n, label);
  result.cpu = cpu;
  result.sql = { count: sqlCount, ms: sqlMs };
  await verify(rig, result);
  const acts = meter.activities.filter((a) => a.side === side);
  const stepActs = acts.filter((a) => a.type === "runTask" || a.type === "baselineStep").map((a) => a.ms);
  const d = (values: readonly number[]) => dist(values, [50, 99]);
  console.log(`  ${label} ${side.padEnd(8)} wall ${sec(result.wallMs)}  (${n} instances, ${(n * (options.steps + 1) / (result.wallMs / 1000)).toFixed(0)} activities/s)`);
  if (n > 1) {
    console.log(`      per instance start->done ${d(result.totalMs)}`);
    console.log(`      start call returned       ${d(result.startMs)}`);
    console.log(`      step->step interval       ${d(stepIntervals(result.ids))}`);
    console.log(`      step activity in worker   ${d(stepActs)}`);
  }
  const c = result.cpu!;
  console.log(`      CPU per instance: this process ${ms(c.self / n)}, dev server ${ms(c.server / n)}, PostgreSQL backends ${ms(c.pg / n)}; ` +
    `SQL statements per instance ${(sqlCount / n).toFixed(1)} (${ms(sqlMs / n)} in the database calls)`);
  return result;
}

/** A single instance, checked, not printed; `hooks` run just around it (the profiler). */
export async function soloRun(rig: Rig, side: Side, hooks?: Hooks): Promise<RunResult> {
  const a = await attempt(rig, side, 1, "solo", hooks);
  const r = a.result;
  r.cpu = a.cpu;
  r.activityCpuMs = a.activityCpuMs;
  await verify(rig, r);
  return r;
}

interface Hooks { before(): Promise<void>; after(): Promise<void> }

/**
 * One run of a side, repeated (with fresh instances) when it stalls: the dev server can lose an
 * activity task on an overloaded machine, and the instance then waits for the 10-minute
 * start-to-close timeout. The stuck instances are terminated first; the stall is reported.
 */
async function attempt(rig: Rig, side: Side, n: number, label: string, hooks?: Hooks) {
  for (let i = 0; ; i++) {
    meter.activities = [];
    const progress = newProgress();
    const cpu0 = cpuNow("others first");
    const sql0 = { ...meter.sql };
    const act0 = meter.activityCpuMs;
    try {
      await hooks?.before();
      const running = side === "joeflow" ? runJoeflow(rig, n, progress) : runBaseline(rig, n, progress);
      const result = await watch(`${label} ${side}`, rig, progress, running);
      await hooks?.after();
      const cpu1 = cpuNow("own first");
      return {
        result,
        cpu: { self: cpu1.self - cpu0.self, server: cpu1.server - cpu0.server, pg: cpu1.pg - cpu0.pg },
        sqlCount: meter.sql.count - sql0.count,
        sqlMs: meter.sql.ms - sql0.ms,
        activityCpuMs: meter.activityCpuMs - act0,
      };
    } catch (error) {
      await hooks?.after().catch(() => {}); // (a stalled attempt is mostly idle time, which the profile leaves out)
      if (!(error instanceof Stalled) || i >= options.retries) throw error;
      stallReports.push(`${label} ${side}, attempt ${i + 1}: ${error.message.split("\n")[0]}`);
      console.log(`  STALLED: ${error.message}`);
      await terminateStuck(rig, side, progress, label);
    }
  }
}

/** Terminates every running execution of this side: also those whose start call (joeflow) never returned. */
async function terminateStuck(rig: Rig, side: Side, progress: Progress, label: string): Promise<void> {
  const stuck = new Set([...progress.started.keys()].filter((id) => !progress.done.has(id)));
  const type = side === "joeflow" ? WORKFLOW_TYPE : "baselineChain";
  try {
    for await (const w of rig.client.workflow.list({ query: `WorkflowType = '${type}' AND ExecutionStatus = 'Running'` })) {
      stuck.add(w.workflowId);
    }
  } catch (listError) {
    console.log(`  (listing running executions failed: ${listError})`);
  }
  console.log(`  terminating ${stuck.size} unfinished instances and repeating ${label} ${side} with new ones`);
  await Promise.allSettled([...stuck].map((id) => rig.client.workflow.getHandle(id).terminate("bench: stalled run")));
}
