/**
 * The engine benchmark (issue 2, "Benchmark"): joeflow against a hand-written Temporal workflow
 * doing the same activities with the same database writes, on the Temporal CLI dev server and a
 * real PostgreSQL, both in this process, loopback only.
 *
 *   npx tsx bench/engine.ts [--instances 200] [--steps 10] [--rounds 2] [--solo 5] [--warmup 20]
 *                           [--pool 20] [--timeout 900] [--stall 120] [--retries 2] [--memory] [--profile]
 *                           [--activity-slots N] [--wft-slots N]
 *
 * --rounds N   N alternating pairs (baseline, joeflow) of --instances concurrent instances each
 * --solo N     N alternating single instances per side for the per-step latency of one instance
 * --retries N  repeat a stalled run up to N times with new instances (2), terminating the stuck ones
 * --stall S    give up (describing what is stuck) when nothing moved for S seconds (120)
 * --activity-slots N, --wft-slots N   worker concurrency for both sides (SDK defaults: 100, 40)
 * --profile    CPU-profile this process during the solo runs, by package and function (workers in
 *              debugMode, so the workflow code runs in the main thread and is profiled too)
 * --memory     the dev server keeps its SQLite store in memory (default: a temporary file, WAL, synchronous=OFF)
 * PostgreSQL: $JOEFLOW_BENCH_PG_URL if set; else the bench's own server, started with
 * scripts/test-postgres.sh on port 54339 in .data/bench-postgres and stopped at the end (left running
 * if it was already up). Not the tests' server on 54329: others start and stop it meanwhile.
 * Each run uses a fresh database joeflow_bench_<timestamp>, dropped at the end.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import type { Client } from "@temporalio/client";
import protos, { type temporal as proto } from "@temporalio/proto";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { bundleWorkflowCode, type ActivityInterceptorsFactory, DefaultLogger, Runtime, Worker } from "@temporalio/worker";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { z } from "zod";
import { createJoeflow, defineWorkflow, migrateToLatest, tasks, type AnyWorkflow } from "joeflow";
import { createWorker } from "joeflow/worker";
import { uuidv7 } from "../src/ids.ts";
import { temporalWorkflowId, WORKFLOW_TYPE } from "../src/interpreter/protocol.ts";
import type { JoeflowDatabase } from "../src/store/schema.ts";
import { devServerExecutable } from "../src/temporal-servers/mod.ts";
import { createBaselineActivities } from "./baseline-activities.ts";
import type { baselineChain } from "./baseline-workflow.ts";

// ---------------------------------------------------------------------------------------------
// Options

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} wants a number`);
  return value;
}
const INSTANCES = option("instances", 200);
const STEPS = option("steps", 10);
const ROUNDS = option("rounds", 2);
const SOLO = option("solo", 5);
const WARMUP = option("warmup", 20);
const POOL = option("pool", 20);
const TIMEOUT_S = option("timeout", 900);
const MEMORY = process.argv.includes("--memory");
const PROFILE = process.argv.includes("--profile");
const ACTIVITY_SLOTS = option("activity-slots", 0); // 0: the SDK's default (100)
const WFT_SLOTS = option("wft-slots", 0); // 0: the SDK's default (40)
/** The same worker options for both sides. */
const workerTuning = {
  ...(ACTIVITY_SLOTS > 0 ? { maxConcurrentActivityTaskExecutions: ACTIVITY_SLOTS } : {}),
  ...(WFT_SLOTS > 0 ? { maxConcurrentWorkflowTaskExecutions: WFT_SLOTS } : {}),
  // Profiling: workflows run in the main thread (no worker threads), so the profile sees them too.
  ...(PROFILE ? { debugMode: true } : {}),
};
if (STEPS < 1) throw new Error("--steps must be at least 1");

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PG_SCRIPT = join(ROOT, "scripts/test-postgres.sh");
const PRIVATE_PG_ENV = { ...process.env, JOEFLOW_TEST_PG_PORT: "54339", JOEFLOW_TEST_PG_DIR: join(ROOT, ".data/bench-postgres") };
const JOEFLOW_QUEUE = "bench-joeflow";
const BASELINE_QUEUE = "bench-baseline";
const deadline = Date.now() + TIMEOUT_S * 1000;

// ---------------------------------------------------------------------------------------------
// Measurement helpers

type Side = "joeflow" | "baseline";

/** performance.now() each time a step's body runs, by instance (joeflow: the user's function). */
const marks = new Map<string, number[]>();
function probe(workflowId: string): void {
  let list = marks.get(workflowId);
  if (!list) marks.set(workflowId, list = []);
  list.push(performance.now());
}

/** Activities running in this process, with their start time. */
const inFlight = new Map<string, number>();
/** The bench's pool and database, for the stall diagnosis. */
let diag: { pool: pg.Pool; db: Kysely<JoeflowDatabase> } | undefined;

/** CPU time of this process while activities ran (summed per execution). */
let activityCpuMs = 0;

/** Activity durations (ms) by side and activity type, as seen by the worker. */
let activityLog: { side: Side; type: string; ms: number }[] = [];
function timing(side: Side): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const key = `${ctx.info.workflowExecution?.workflowId} ${ctx.info.activityType}#${ctx.info.activityId} attempt ${ctx.info.attempt}`;
        inFlight.set(key, t0);
        try {
          return await next(input);
        } finally {
          inFlight.delete(key);
          activityLog.push({ side, type: ctx.info.activityType, ms: performance.now() - t0 });
          const c = process.cpuUsage(c0);
          activityCpuMs += (c.user + c.system) / 1000; // process-wide: only attributable when activities do not overlap (solo)
          activitiesDone++;
        }
      },
    },
  });
}

/** Statements Kysely ran (BEGIN/COMMIT included), and the time spent waiting for them. */
const sqlStats = { count: 0, ms: 0 };

/** The processes whose CPU time is counted besides this one. */
const cpuSources = { serverPid: undefined as number | undefined, database: "" };
const TICK_MS = 10; // USER_HZ is 100 on Linux

function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  } catch {
    return 0;
  }
}

function processes(): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      out.push({ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ") });
    } catch { /* gone */ }
  }
  return out;
}

/**
 * CPU time so far of this process, the dev server and our PostgreSQL backends. The scan of /proc
 * costs this process a few ms, so it runs outside the measured window: before reading our own
 * time at the start of a run, after it at the end.
 */
function cpuNow(at: "start" | "end"): { self: number; server: number; pg: number } {
  const scan = () => {
    const pg = cpuSources.database
      ? processes().filter((p) => p.cmdline.startsWith("postgres:") && p.cmdline.includes(` ${cpuSources.database} `))
        .reduce((sum, p) => sum + procCpuMs(p.pid), 0)
      : 0;
    return { pg, server: cpuSources.serverPid ? procCpuMs(cpuSources.serverPid) : 0 };
  };
  const own = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  if (at === "start") {
    const others = scan();
    return { self: own(), ...others };
  }
  const self = own();
  return { self, ...scan() };
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
const ms = (v: number) => (Number.isNaN(v) ? "n/a" : `${v.toFixed(1)} ms`);
const sec = (v: number) => `${(v / 1000).toFixed(2)} s`;
function dist(values: readonly number[]): string {
  return `p50 ${ms(percentile(values, 50))}  p99 ${ms(percentile(values, 99))}  mean ${
    ms(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length))}  (n=${values.length})`;
}

/** Intervals between consecutive step bodies of these instances. */
function stepIntervals(ids: readonly string[]): number[] {
  const out: number[] = [];
  for (const id of ids) {
    const list = marks.get(id) ?? [];
    for (let i = 1; i < list.length; i++) out.push(list[i]! - list[i - 1]!);
  }
  return out;
}

/** What the running side has started and finished, for the progress lines and the stall diagnosis. */
interface Progress { started: Map<string, string>; done: Set<string>; starting: number }
const newProgress = (): Progress => ({ started: new Map(), done: new Set(), starting: 0 });
/** The current attempt's; each run captures its own, so a given-up attempt cannot disturb the next. */
let progress = newProgress();

/** Thrown by watch() when nothing moved for --stall seconds (a retry may help), not at the --timeout. */
class Stalled extends Error {}
const RETRIES = option("retries", 2);
const stallReports: string[] = [];
let activitiesDone = 0;
const STALL_S = option("stall", 120);

/**
 * Waits for a run, printing progress every 15 s; gives up at the --timeout, or when nothing moved
 * (no activity finished, no instance done) for --stall seconds, describing what is stuck.
 */
async function watch<T>(what: string, client: Client, promise: Promise<T>): Promise<T> {
  const t0 = performance.now();
  let lastMove = performance.now();
  let seen = "";
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const now = `${activitiesDone}/${progress.done.size}`;
      if (now !== seen) {
        seen = now;
        lastMove = performance.now();
      }
      const elapsed = performance.now() - t0;
      if (elapsed > 15_000 && Math.floor(elapsed / 1000) % 15 === 0) {
        console.log(`    ... ${what}: ${sec(elapsed)}, ${progress.done.size}/${progress.started.size} done, ${progress.starting} starting, ${activitiesDone} activities finished`);
      }
      const reason = Date.now() > deadline ? `over the --timeout of ${TIMEOUT_S} s`
        : performance.now() - lastMove > STALL_S * 1000 ? `nothing moved for ${STALL_S} s` : undefined;
      if (reason) {
        clearInterval(timer);
        const stalled = Date.now() <= deadline;
        diagnose(client).catch((e) => `diagnosis failed: ${e}`)
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

async function diagnose(client: Client): Promise<string> {
  const open = [...progress.started].filter(([id]) => !progress.done.has(id));
  const lines = [`${open.length} of ${progress.started.size} started instances not done; ${progress.starting} start calls not returned`];
  for (const [, temporalId] of open.slice(0, 3)) {
    const handle = client.workflow.getHandle(temporalId);
    try {
      const d = await handle.describe();
      const history = await handle.fetchHistory();
      const events = (history.events ?? []).slice(-6).map((e) => `${e.eventId}:${protos.temporal.api.enums.v1.EventType[e.eventType!]}`);
      const pendingActs = (d.raw.pendingActivities ?? []).map((a) =>
        `${a.activityType?.name} state=${a.state} attempt=${a.attempt} lastFailure=${a.lastFailure?.message ?? "-"}`);
      lines.push(`  ${temporalId}: ${d.status.name}, history ${d.historyLength} events, last ${events.join(" ")}; ` +
        `pending activities [${pendingActs.join("; ")}]; pending workflow task ${d.raw.pendingWorkflowTask ? JSON.stringify({ state: d.raw.pendingWorkflowTask.state, attempt: d.raw.pendingWorkflowTask.attempt }) : "none"}`);
      if (diag) {
        const id = temporalId.slice(temporalId.indexOf("-") + 1);
        const rows = await diag.db.selectFrom("joeflow_task").select(["name", "status"]).where("workflow_id", "=", id)
          .orderBy("seq").execute();
        lines.push(`    its tasks in the database: ${rows.map((r) => `${r.name}:${r.status}`).join(" ")}`);
      }
      if (temporalId.startsWith("bench_chain-")) {
        const pending = await handle.query("pending").catch((e: unknown) => `query failed: ${e}`);
        lines.push(`    pending query: ${JSON.stringify(pending)}`);
      }
    } catch (error) {
      lines.push(`  ${temporalId}: describe failed: ${error}`);
    }
  }
  const now = performance.now();
  const old = [...inFlight].filter(([, t]) => now - t > 10_000);
  lines.push(`activities in flight in this process: ${inFlight.size}, ${old.length} of them for more than 10 s:`);
  for (const [key, t] of old.slice(0, 5)) lines.push(`  ${key}: ${sec(now - t)}`);
  if (diag) {
    lines.push(`pg pool: total ${diag.pool.totalCount}, idle ${diag.pool.idleCount}, waiting ${diag.pool.waitingCount}`);
    try {
      const client = new pg.Client({ connectionString: (diag.pool.options as { connectionString: string }).connectionString });
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
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// The joeflow workflow: tasks.start(), then s1..sN in a chain, each doing state.count += 1.

function chainWorkflow(steps: number): AnyWorkflow {
  const taskSpecs: Record<string, unknown> = { start: tasks.start() };
  const edges: [string, string][] = [["start", "s1"]];
  for (let i = 1; i <= steps; i++) {
    taskSpecs[`s${i}`] = ({ state, workflow }: { state: { count: number }; workflow: { id: string } }) => {
      probe(workflow.id);
      state.count += 1;
    };
    if (i < steps) edges.push([`s${i}`, `s${i + 1}`]);
  }
  // deno-lint-ignore no-explicit-any
  return defineWorkflow({ name: "bench_chain", state: z.object({ count: z.number().int() }), tasks: taskSpecs as any, edges: edges as any }) as AnyWorkflow;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

interface Postgres { url: string; stop: () => void; how: string }

function pgScript(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync("bash", [PG_SCRIPT, ...args], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}

function startPostgres(): Postgres {
  const given = process.env.JOEFLOW_BENCH_PG_URL;
  if (given) return { url: given, stop: () => {}, how: "JOEFLOW_BENCH_PG_URL" };
  // Not the tests' server on 54329: other people start and stop it while a bench runs.
  const running = spawnSync("bash", [PG_SCRIPT, "status"], { env: PRIVATE_PG_ENV, stdio: "ignore" }).status === 0;
  if (running) {
    return { url: pgScript(["url"], PRIVATE_PG_ENV), stop: () => {}, how: "the bench's own server on port 54339, already running (left running)" };
  }
  pgScript(["start"], PRIVATE_PG_ENV);
  return {
    url: pgScript(["url"], PRIVATE_PG_ENV),
    stop: () => pgScript(["stop"], PRIVATE_PG_ENV),
    how: "the bench's own server, started with scripts/test-postgres.sh on port 54339 (stopped at the end)",
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Runs

interface RunResult {
  side: Side;
  instances: number;
  wallMs: number;
  ids: string[];
  startMs: number[]; // client: start call -> start returned
  totalMs: number[]; // client: start call -> result
  temporalIds: string[];
  /** CPU ms used during the run: this process (workers + client), the dev server, our PostgreSQL backends. */
  cpu?: { self: number; server: number; pg: number };
  sql?: { count: number; ms: number };
  /** CPU of this process during activity executions (solo runs only). */
  activityCpuMs?: number;
}

interface Ctx {
  client: Client;
  db: Kysely<JoeflowDatabase>;
  joeflow: ReturnType<typeof createJoeflow>;
  chain: AnyWorkflow;
}

async function runJoeflow(ctx: Ctx, n: number): Promise<RunResult> {
  const progress_ = progress;
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: n }, async () => {
    const s = performance.now();
    progress_.starting++;
    const { workflowId } = await ctx.joeflow.start(ctx.chain, { state: { count: 0 } }).finally(() => progress_.starting--);
    const started = performance.now();
    const temporalId = temporalWorkflowId(ctx.chain.name, workflowId);
    progress_.started.set(temporalId, temporalId);
    await ctx.client.workflow.getHandle(temporalId).result();
    progress_.done.add(temporalId);
    return { workflowId, temporalId, startMs: started - s, totalMs: performance.now() - s };
  }));
  const wallMs = performance.now() - t0;
  return {
    side: "joeflow", instances: n, wallMs, ids: results.map((r) => r.workflowId), startMs: results.map((r) => r.startMs),
    totalMs: results.map((r) => r.totalMs), temporalIds: results.map((r) => r.temporalId),
  };
}

async function runBaseline(ctx: Ctx, n: number): Promise<RunResult> {
  const progress_ = progress;
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: n }, async () => {
    const s = performance.now();
    const workflowId = uuidv7();
    const temporalId = `baseline-${workflowId}`;
    progress_.started.set(temporalId, temporalId);
    const handle = await ctx.client.workflow.start<typeof baselineChain>("baselineChain", {
      taskQueue: BASELINE_QUEUE, workflowId: temporalId, args: [{ workflowId, steps: STEPS }],
    });
    const started = performance.now();
    await handle.result();
    progress_.done.add(temporalId);
    return { workflowId, temporalId, startMs: started - s, totalMs: performance.now() - s };
  }));
  const wallMs = performance.now() - t0;
  return {
    side: "baseline", instances: n, wallMs, ids: results.map((r) => r.workflowId), startMs: results.map((r) => r.startMs),
    totalMs: results.map((r) => r.totalMs), temporalIds: results.map((r) => r.temporalId),
  };
}

/** Both sides must have written the same rows: every instance done, count = steps, steps + 1 tasks. */
async function verify(ctx: Ctx, run: RunResult): Promise<void> {
  const rows = await ctx.db.selectFrom("joeflow_workflow as w")
    .select(["w.id", "w.status", "w.state", "w.revision"])
    .select((eb) => eb.selectFrom("joeflow_task as t").whereRef("t.workflow_id", "=", "w.id")
      .select((e) => e.fn.countAll<string>().as("n")).as("tasks"))
    .select((eb) => eb.selectFrom("joeflow_state_change as c").whereRef("c.workflow_id", "=", "w.id")
      .select((e) => e.fn.countAll<string>().as("n")).as("changes"))
    .where("w.id", "in", run.ids).execute();
  const bad = rows.filter((r) =>
    r.status !== "done" || (r.state as { count: number }).count !== STEPS || Number(r.tasks) !== STEPS + 1 ||
    Number(r.changes) !== STEPS + 1 || r.revision !== STEPS + 1
  );
  if (rows.length !== run.ids.length || bad.length > 0) {
    throw new Error(`${run.side}: ${run.ids.length - rows.length} instances missing, ${bad.length} wrong, e.g. ${JSON.stringify(bad[0])}`);
  }
}

async function run(ctx: Ctx, side: Side, n: number, label: string): Promise<RunResult> {
  const { result, cpu, sqlCount, sqlMs } = await attempt(ctx, side, n, label);
  result.cpu = cpu;
  result.sql = { count: sqlCount, ms: sqlMs };
  await verify(ctx, result);
  const acts = activityLog.filter((a) => a.side === side);
  const stepActs = acts.filter((a) => a.type === "runTask" || a.type === "baselineStep").map((a) => a.ms);
  console.log(`  ${label} ${side.padEnd(8)} wall ${sec(result.wallMs)}  (${n} instances, ${(n * (STEPS + 1) / (result.wallMs / 1000)).toFixed(0)} activities/s)`);
  if (n > 1) {
    console.log(`      per instance start->done ${dist(result.totalMs)}`);
    console.log(`      start call returned       ${dist(result.startMs)}`);
    console.log(`      step->step interval       ${dist(stepIntervals(result.ids))}`);
    console.log(`      step activity in worker   ${dist(stepActs)}`);
  }
  const c = result.cpu!;
  console.log(`      CPU per instance: this process ${ms(c.self / n)}, dev server ${ms(c.server / n)}, PostgreSQL backends ${ms(c.pg / n)}; ` +
    `SQL statements per instance ${(sqlCount / n).toFixed(1)} (${ms(sqlMs / n)} in the database calls)`);
  return result;
}

/**
 * One run of a side, repeated (with fresh instances) when it stalls: the dev server can lose an
 * activity task on an overloaded machine, and the instance then waits for the 10-minute
 * start-to-close timeout. The stuck instances are terminated first; the stall is reported.
 */
async function attempt(ctx: Ctx, side: Side, n: number, label: string, hooks?: { before(): Promise<void>; after(): Promise<void> }) {
  for (let i = 0; ; i++) {
    activityLog = [];
    progress = newProgress();
    const mine = progress;
    const cpu0 = cpuNow("start");
    const sql0 = { ...sqlStats };
    const act0 = activityCpuMs;
    try {
      await hooks?.before();
      const result = await watch(`${label} ${side}`, ctx.client, side === "joeflow" ? runJoeflow(ctx, n) : runBaseline(ctx, n));
      await hooks?.after();
      const cpu1 = cpuNow("end");
      return {
        result,
        cpu: { self: cpu1.self - cpu0.self, server: cpu1.server - cpu0.server, pg: cpu1.pg - cpu0.pg },
        sqlCount: sqlStats.count - sql0.count,
        sqlMs: sqlStats.ms - sql0.ms,
        activityCpuMs: activityCpuMs - act0,
      };
    } catch (error) {
      await hooks?.after().catch(() => {}); // (a stalled attempt is mostly idle time, which the profile leaves out)
      if (!(error instanceof Stalled) || i >= RETRIES) throw error;
      stallReports.push(`${label} ${side}, attempt ${i + 1}: ${error.message.split("\n")[0]}`);
      console.log(`  STALLED: ${error.message}`);
      // Every running execution of this side: also those whose start call (joeflow) never returned.
      const stuck = new Set([...mine.started.keys()].filter((id) => !mine.done.has(id)));
      const type = side === "joeflow" ? WORKFLOW_TYPE : "baselineChain";
      try {
        for await (const w of ctx.client.workflow.list({ query: `WorkflowType = '${type}' AND ExecutionStatus = 'Running'` })) {
          stuck.add(w.workflowId);
        }
      } catch (listError) {
        console.log(`  (listing running executions failed: ${listError})`);
      }
      console.log(`  terminating ${stuck.size} unfinished instances and repeating ${label} ${side} with new ones`);
      await Promise.allSettled([...stuck].map((id) => ctx.client.workflow.getHandle(id).terminate("bench: stalled run")));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The main thread's CPU profile during the solo runs (with --profile the workers run in debugMode,
// so the workflow code runs there too): self time by package and by function, per side.

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
const profiler = {
  session: undefined as Session | undefined,
  byPackage: { joeflow: new Map<string, number>(), baseline: new Map<string, number>() } as Record<Side, Map<string, number>>,
  byFunction: { joeflow: new Map<string, number>(), baseline: new Map<string, number>() } as Record<Side, Map<string, number>>,
  async start() {
    if (!this.session) {
      this.session = new Session();
      this.session.connect();
      await this.session.post("Profiler.enable");
      await this.session.post("Profiler.setSamplingInterval", { interval: 100 });
    }
    await this.session.post("Profiler.start");
  },
  async stop(side: Side) {
    const { profile } = await this.session!.post("Profiler.stop") as unknown as {
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    };
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const frame = nodes.get(id)!.callFrame;
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      if (frame.functionName === "(idle)") return;
      const pkg = packageOf(frame.url, frame.functionName);
      this.byPackage[side].set(pkg, (this.byPackage[side].get(pkg) ?? 0) + ms);
      const fn = `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*node_modules\//, "").replace(ROOT, "")}:${frame.lineNumber + 1}`;
      this.byFunction[side].set(fn, (this.byFunction[side].get(fn) ?? 0) + ms);
    });
  },
  print(runs: number) {
    console.log(`
main-thread CPU profile of the solo runs (self time per instance, idle excluded)`);
    for (const side of ["baseline", "joeflow"] as const) {
      const total = [...this.byPackage[side].values()].reduce((a, b) => a + b, 0) / runs;
      const packages = [...this.byPackage[side]].sort((a, b) => b[1] - a[1]).slice(0, 10)
        .map(([k, v]) => `${k} ${(v / runs).toFixed(1)}`).join(", ");
      console.log(`  ${side.padEnd(8)} ${ms(total)}: ${packages}`);
      const functions = [...this.byFunction[side]].sort((a, b) => b[1] - a[1]).slice(0, 12);
      for (const [k, v] of functions) console.log(`      ${(v / runs).toFixed(2).padStart(7)} ms  ${k}`);
    }
    const diff = (map: "byPackage" | "byFunction", n: number) => {
      const keys = new Set([...this[map].joeflow.keys(), ...this[map].baseline.keys()]);
      return [...keys].map((k) => [k, ((this[map].joeflow.get(k) ?? 0) - (this[map].baseline.get(k) ?? 0)) / runs] as const)
        .sort((a, b) => b[1] - a[1]).slice(0, n);
    };
    console.log(`  joeflow minus baseline, by package: ${diff("byPackage", 10).map(([k, v]) => `${k} ${v >= 0 ? "+" : ""}${v.toFixed(1)}`).join(", ")}`);
    console.log(`  joeflow minus baseline, largest increases by function:`);
    for (const [k, v] of diff("byFunction", 15)) console.log(`      +${v.toFixed(2).padStart(6)} ms  ${k}`);
  },
};

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith("node:")) return "node";
  if (url.includes("/src/")) return "joeflow src";
  if (url.includes("/bench/")) return "bench";
  return url;
}

// ---------------------------------------------------------------------------------------------
// History breakdown of one instance: where a step's time goes, by the server's event times.

const E = protos.temporal.api.enums.v1.EventType; // CommonJS: through its default export
function eventMs(e: proto.api.history.v1.IHistoryEvent): number {
  const t = e.eventTime!;
  return Number(String(t.seconds ?? 0)) * 1000 + (t.nanos ?? 0) / 1e6;
}

async function historyBreakdown(client: Client, temporalId: string) {
  const history = await client.workflow.getHandle(temporalId).fetchHistory();
  const events = history.events ?? [];
  const scheduled = new Map<string, number>();
  const started = new Map<string, number>();
  const queue: number[] = [];
  const exec: number[] = [];
  const turnaround: number[] = [];
  const wftQueue: number[] = [];
  const wftRun: number[] = [];
  let lastCompleted: number | undefined;
  let wftScheduledAt: number | undefined;
  let wftStartedAt: number | undefined;
  let wfts = 0;
  for (const e of events) {
    const at = eventMs(e);
    const id = String(e.eventId);
    switch (e.eventType) {
      case E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        scheduled.set(id, at);
        if (lastCompleted !== undefined) turnaround.push(at - lastCompleted);
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        started.set(String(e.activityTaskStartedEventAttributes!.scheduledEventId), at);
        queue.push(at - scheduled.get(String(e.activityTaskStartedEventAttributes!.scheduledEventId))!);
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        exec.push(at - started.get(String(e.activityTaskCompletedEventAttributes!.scheduledEventId))!);
        lastCompleted = at;
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        wftScheduledAt = at;
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        wfts++;
        if (wftScheduledAt !== undefined) wftQueue.push(at - wftScheduledAt);
        wftStartedAt = at;
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        if (wftStartedAt !== undefined) wftRun.push(at - wftStartedAt);
        break;
    }
  }
  const first = events.length ? eventMs(events[0]!) : 0;
  const last = events.length ? eventMs(events[events.length - 1]!) : 0;
  return { events: events.length, wfts, queue, exec, turnaround, wftQueue, wftRun, spanMs: last - first };
}

const median = (v: readonly number[]) => percentile(v, 50);

// ---------------------------------------------------------------------------------------------

let tearingDown = false;
/** Exits at once, but never leaves the dev server (a child the SDK only kills at teardown) behind. */
function emergencyExit(code: number): never {
  if (cpuSources.serverPid) {
    try {
      process.kill(cpuSources.serverPid, "SIGKILL");
    } catch { /* already gone */ }
  }
  process.exit(code);
}

process.on("uncaughtException", (error) => {
  if (tearingDown && /Channel has been shut down/.test(String(error))) return; // a client call given up on
  console.error("bench: uncaught", error);
  emergencyExit(1);
});

async function main(): Promise<number> {
  const hardStop = setTimeout(() => {
    console.error(`bench: still running ${TIMEOUT_S + 60} s after the start; exiting`);
    emergencyExit(3);
  }, (TIMEOUT_S + 60) * 1000);
  hardStop.unref();

  Runtime.install({ logger: new DefaultLogger("WARN") });
  const cleanups: { what: string; run: () => Promise<void> | void }[] = [];
  let code = 0;
  try {
    console.log(`bench/engine.ts: ${INSTANCES} instances x ${STEPS} machine steps, ${ROUNDS} alternating rounds, ${SOLO} solo runs per side; ` +
      `workers: ${JSON.stringify(workerTuning)} (SDK defaults otherwise)`);

    // PostgreSQL and a fresh database.
    const postgres = startPostgres();
    cleanups.unshift({ what: "stop PostgreSQL", run: postgres.stop });
    const database = `joeflow_bench_${Date.now()}`;
    await adminQuery(postgres.url, `CREATE DATABASE ${database}`);
    cleanups.unshift({ what: `drop ${database}`, run: () => adminQuery(postgres.url, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`) });
    // Connections stay open (idleTimeoutMillis 0), so the CPU time of their backends can be counted.
    const pool = new pg.Pool({ connectionString: withDatabase(postgres.url, database), max: POOL, idleTimeoutMillis: 0 });
    pool.on("error", () => {}); // an idle connection closed under us (DROP DATABASE ... WITH (FORCE) at the end)
    const db = new Kysely<JoeflowDatabase>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        sqlStats.count++;
        sqlStats.ms += event.queryDurationMillis;
      },
    });
    cpuSources.database = database;
    diag = { pool, db };
    cleanups.unshift({ what: "close the pool", run: () => db.destroy() });
    await migrateToLatest(db);
    const pgVersion = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]!.v;
    console.log(`PostgreSQL ${pgVersion}: ${postgres.how}; database ${database}, pool of ${POOL}`);

    // The dev server.
    const dbFile = MEMORY ? undefined : join(tmpdir(), `joeflow-bench-${Date.now()}.sqlite`);
    const t = performance.now();
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: await devServerExecutable(),
        ui: false,
        ...(dbFile ? { dbFilename: dbFile } : {}),
        extraArgs: ["--sqlite-pragma", "journal_mode=WAL", "--sqlite-pragma", "synchronous=OFF"],
      },
    });
    cleanups.unshift({
      what: "tear the dev server down",
      run: async () => {
        tearingDown = true; // result() calls still waiting would now fail on the closed channel
        await env.teardown();
        if (dbFile) for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
      },
    });
    const port = env.address.split(":").pop();
    cpuSources.serverPid = processes().find((p) => p.cmdline.includes("start-dev") && p.cmdline.includes(`--port ${port} `))?.pid;
    if (!cpuSources.serverPid) console.warn("bench: the dev server's process was not found; its CPU time is not counted");
    console.log(`Temporal dev server up in ${sec(performance.now() - t)} (SQLite ${dbFile ?? "in memory"}, WAL, synchronous=OFF)`);

    // Workers: one per side, same process, same options.
    const chain = chainWorkflow(STEPS);
    const joeflowWorker = await createWorker({
      connection: env.nativeConnection, db, workflows: [chain], taskQueue: JOEFLOW_QUEUE,
      temporal: { ...workerTuning, interceptors: { activity: [timing("joeflow")] } },
    });
    const graphJson = JSON.stringify(chain.graph);
    const baselineWorker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: BASELINE_QUEUE,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: fileURLToPath(new URL("./baseline-workflow.ts", import.meta.url)),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
      }),
      activities: createBaselineActivities(db, graphJson, (workflowId) => probe(workflowId)),
      interceptors: { activity: [timing("baseline")] },
      ...workerTuning,
    });
    const running = [joeflowWorker.run(), baselineWorker.run()];
    cleanups.unshift({
      what: "shut the workers down",
      run: async () => {
        joeflowWorker.shutdown();
        baselineWorker.shutdown();
        await Promise.allSettled(running);
      },
    });
    const joeflow = createJoeflow({ db, temporal: env.client, workflows: [chain], taskQueue: JOEFLOW_QUEUE });
    const ctx: Ctx = { client: env.client, db, joeflow, chain };

    // Warm-up: both sides, so neither pays for cold caches, JIT or a cold SQLite file.
    console.log(`\nwarm-up (${WARMUP} instances per side)`);
    if (WARMUP > 0) {
      await run(ctx, "baseline", WARMUP, "warm-up");
      await run(ctx, "joeflow", WARMUP, "warm-up");
    }
    await sql`analyze`.execute(db);

    // Solo runs: one instance at a time, alternating.
    console.log(`\nsolo: one instance at a time, ${SOLO} per side, alternating`);
    const solo: Record<Side, RunResult[]> = { joeflow: [], baseline: [] };
    for (let i = 0; i < SOLO; i++) {
      for (const side of ["baseline", "joeflow"] as const) {
        const a = await attempt(ctx, side, 1, "solo",
          PROFILE ? { before: () => profiler.start(), after: () => profiler.stop(side) } : undefined);
        const r = a.result;
        r.cpu = a.cpu;
        r.activityCpuMs = a.activityCpuMs;
        await verify(ctx, r);
        solo[side].push(r);
      }
    }

    if (PROFILE) profiler.print(SOLO);

    // Concurrent rounds: baseline, joeflow, baseline, joeflow, ...
    console.log(`\nconcurrent: ${INSTANCES} instances at once`);
    const rounds: Record<Side, RunResult[]> = { joeflow: [], baseline: [] };
    for (let i = 1; i <= ROUNDS; i++) {
      for (const side of ["baseline", "joeflow"] as const) {
        rounds[side].push(await run(ctx, side, INSTANCES, `round ${i}`));
      }
    }

    // Where the time of one step goes, from the histories of the solo instances.
    console.log(`\nwhere one step's time goes (solo instances, server event times, medians over all their steps)`);
    const breakdown: Record<Side, Awaited<ReturnType<typeof historyBreakdown>>[]> = { joeflow: [], baseline: [] };
    for (const side of ["baseline", "joeflow"] as const) {
      for (const r of solo[side]) breakdown[side].push(await historyBreakdown(env.client, r.temporalIds[0]!));
      const b = breakdown[side];
      const all = (k: "queue" | "exec" | "turnaround" | "wftQueue" | "wftRun") => b.flatMap((x) => x[k]);
      console.log(`  ${side.padEnd(8)} history events ${b[0]!.events}, workflow tasks ${b[0]!.wfts}; ` +
        `activity scheduled->started ${ms(median(all("queue")))}, started->completed ${ms(median(all("exec")))}, ` +
        `completed->next scheduled ${ms(median(all("turnaround")))} ` +
        `(workflow task queued ${ms(median(all("wftQueue")))}, run ${ms(median(all("wftRun")))})`);
    }

    // Summary.
    const soloSteps = (side: Side) => stepIntervals(solo[side].flatMap((r) => r.ids));
    const soloTotal = (side: Side) => solo[side].map((r) => r.totalMs[0]!);
    const wall = (side: Side) => rounds[side].map((r) => r.wallMs);
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    console.log(`\n=== summary (${INSTANCES} instances x ${STEPS} steps; dev server + PostgreSQL ${pgVersion}) ===`);
    for (let i = 0; i < ROUNDS; i++) {
      const b = rounds.baseline[i]!.wallMs;
      const j = rounds.joeflow[i]!.wallMs;
      console.log(`round ${i + 1}: baseline ${sec(b)}  joeflow ${sec(j)}  ratio joeflow/baseline ${(j / b).toFixed(3)}`);
    }
    const ratio = ROUNDS > 0 ? sum(wall("joeflow")) / sum(wall("baseline")) : NaN;
    if (ROUNDS > 0) {
      console.log(`all rounds: baseline ${sec(sum(wall("baseline")))}  joeflow ${sec(sum(wall("joeflow")))}  ` +
        `ratio ${ratio.toFixed(3)} (goal <= 1.15: ${ratio <= 1.15 ? "met" : "NOT met"})`);
    }
    if (ROUNDS > 0) {
      const cpu = (side: Side, k: "self" | "server" | "pg") => sum(rounds[side].map((r) => r.cpu![k])) / (ROUNDS * INSTANCES);
      const stmts = (side: Side) => sum(rounds[side].map((r) => r.sql!.count)) / (ROUNDS * INSTANCES);
      for (const side of ["baseline", "joeflow"] as const) {
        const total = cpu(side, "self") + cpu(side, "server") + cpu(side, "pg");
        console.log(`CPU per instance, ${side.padEnd(8)}: this process ${ms(cpu(side, "self"))}, dev server ${ms(cpu(side, "server"))}, ` +
          `PostgreSQL ${ms(cpu(side, "pg"))}, total ${ms(total)}; SQL statements ${stmts(side).toFixed(1)}`);
      }
      const total = (side: Side) => cpu(side, "self") + cpu(side, "server") + cpu(side, "pg");
      console.log(`CPU ratio joeflow/baseline: ${(total("joeflow") / total("baseline")).toFixed(3)} ` +
        `(this process ${(cpu("joeflow", "self") / cpu("baseline", "self")).toFixed(2)}, dev server ${
          (cpu("joeflow", "server") / cpu("baseline", "server")).toFixed(2)}, PostgreSQL ${(cpu("joeflow", "pg") / cpu("baseline", "pg")).toFixed(2)})`);
    }
    console.log(stallReports.length === 0 ? "stalled runs: none"
      : `stalled runs, repeated with new instances (a lost activity task waits for the 10-minute start-to-close timeout):\n  ${stallReports.join("\n  ")}`);
    for (const side of ["baseline", "joeflow"] as const) {
      if (SOLO === 0) break;
      const self = sum(solo[side].map((r) => r.cpu!.self)) / SOLO;
      const inActivities = sum(solo[side].map((r) => r.activityCpuMs!)) / SOLO;
      console.log(`one instance alone, CPU, ${side.padEnd(8)}: this process ${ms(self)} (in activities ${ms(inActivities)}, ` +
        `outside them: workflow tasks, client, SDK ${ms(self - inActivities)}), dev server ${
          ms(sum(solo[side].map((r) => r.cpu!.server)) / SOLO)}, PostgreSQL ${ms(sum(solo[side].map((r) => r.cpu!.pg)) / SOLO)}`);
    }
    for (const side of ["baseline", "joeflow"] as const) {
      console.log(`one instance alone, ${side.padEnd(8)}: per step ${dist(soloSteps(side))}; start->done ${ms(median(soloTotal(side)))} (median of ${SOLO})`);
    }
  } catch (error) {
    code = 1;
    console.error("\nbench failed:", error);
  } finally {
    for (const c of cleanups) {
      try {
        await c.run();
      } catch (error) {
        console.error(`cleanup "${c.what}" failed:`, error);
      }
    }
  }
  return code;
}

process.exit(await main());
