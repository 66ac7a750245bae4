/**
 * The web benchmark (issue 3, "Benchmark (bench/)"): form submissions against the demo's web app, beside a
 * bare Temporal update round trip on the same dev server in the same run (the floor), and the index page
 * with 10,000 instances in PostgreSQL. Loopback only, bounded in time, everything torn down at the end.
 *
 *   npx tsx bench/web.ts [--seconds 10] [--concurrency 20] [--warmup 40] [--solo 20] [--max 3000] [--rate N]
 *                        [--instances 10000] [--index-seconds 5] [--pool 20] [--post-db postgres,pglite]
 *                        [--request-timeout 60] [--sync NORMAL] [--memory] [--profile] [--timeout 900]
 *
 * What runs, all in this one process as in the demo (examples/serve.ts, examples/embedded.ts): the Temporal
 * CLI dev server (`TestWorkflowEnvironment.createLocal`, SQLite in a temporary file, WAL, synchronous=NORMAL
 * as the demo; --sync OFF, or --memory), a joeflow worker and the web app (`createWebApp` with the demo's
 * sign-in, web/node.ts on 127.0.0.1:0) per database, and a floor worker (bench/web-floor-workflow.ts). The
 * simulated users run in a child process (bench/web-load.ts) so they do not share the server's event loop;
 * they never retry and never follow the redirect.
 *
 * Phases. Each kind gets `--warmup` requests first (not counted), then `--solo` requests from 1 user, then
 * `--seconds` with `--concurrency` users in a closed loop (each sends its next request when the previous one
 * answered, as autocannon does: this is the issue's setup, and it saturates the machine, so latency there is
 * mostly queueing: users / throughput), then, after all kinds ran saturated, `--seconds` paced at one common
 * rate (`--rate`, default half the slower POST's saturated throughput, at most 1 per user per second) so the
 * kinds compare at the same offered load.
 *  - floor, bare update: one workflow per user takes its updates one after another; the handler returns;
 *  - floor, update + activity: the handler awaits one trivial activity (the interpreter's activity options);
 *  - floor, update + activity + PG tx: the activity runs a small PostgreSQL transaction (lock, update, insert);
 *  - floor, update + local activity + PG tx: the same transaction as a local activity (what joeflow's
 *    completeHuman would cost as one);
 *  - POST /shipping/ship/{taskId}/ (trackingCode) on PostgreSQL and on PGlite (the demo's own database;
 *    `--post-db` picks): one shipping order pre-created per request (its `ship` task open), signed in as
 *    "warehouse", CSRF cookie + `_csrf` field; every answer must be 303 to /shipping/{id}/, checked again in
 *    the tables after; then the instances must finish (hasEmail, end);
 *  - the index: `--instances` instances written straight into the tables (bench/web-index-data.ts), then GET
 *    `/`, `/?name=shipping&status=running`, the second page of each via its "Older instances" cursor, and a
 *    page in the middle, `--index-seconds` each (and `/` paced); then EXPLAIN ANALYZE of the list queries.
 *
 * Where a POST's time goes: the Hono handler is timed in-process (a wrapper around `app.fetch`) and within it,
 * through AsyncLocalStorage, the SQL the request ran (Kysely's log), the joeflow client calls and Temporal's
 * `executeUpdate`; the worker's activities are timed by an interceptor (with their own SQL); histories give
 * the server-side steps of the update (workflow task, activity queue and run, workflow task). Per phase: CPU
 * per request of this process (by thread), the dev server, the PostgreSQL backends and the load generator,
 * the event-loop delay, and how busy the machine was and with whom (others' share, CPU pressure).
 * `--profile` adds a CPU profile of the main thread during the saturated POSTs on PostgreSQL.
 *
 * PostgreSQL: $JOEFLOW_BENCH_PG_URL if set; else the test server of scripts/test-postgres.sh if it runs
 * (left running); else a private one started with that script on port 54349 in .data/bench-web-postgres
 * (stopped at the end). Each run creates joeflow_bench_web_<timestamp> and drops it.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { type ChildProcess, execFileSync, fork, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import inspector from "node:inspector/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import type { Client, WorkflowHandle } from "@temporalio/client";
import protos, { type temporal as proto } from "@temporalio/proto";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { type ActivityInterceptorsFactory, bundleWorkflowCode, DefaultLogger, Runtime, Worker } from "@temporalio/worker";
import type { Hono } from "hono";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { createJoeflow, type Joeflow, migrateToLatest } from "joeflow";
import { createWorker } from "joeflow/worker";
import { createWebApp } from "joeflow/web";
import { temporalWorkflowId } from "../src/interpreter/protocol.ts";
import type { JoeflowDatabase } from "../src/store/schema.ts";
import { devServerExecutable } from "../src/temporal-servers/mod.ts";
import type { Auth } from "../web/auth.ts";
import { demoAuth } from "../web/demo-auth.ts";
import { serveNode, type Served } from "../web/node.ts";
import { createTemplates } from "../web/templates.ts";
import { createUrls } from "../web/urls.ts";
import { shipping } from "../examples/shipping.ts";
import { welcome } from "../examples/welcome.ts";
import { seedInstances } from "./web-index-data.ts";
import type { LoadJob, LoadReply, LoadRequest, LoadResult } from "./web-load.ts";
import { floorUpdate, readyQuery, stopSignal } from "./web-floor-workflow.ts";

// ---------------------------------------------------------------------------------------------
// Options

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} wants a number`);
  return value;
}
function listOption(name: string, fallback: string[]): string[] {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}
const SECONDS = option("seconds", 10);
const MAX = option("max", 3000);
const SOLO = option("solo", 20);
const RATE = process.argv.includes("--rate") ? option("rate", 20) : undefined;
const CONCURRENCY = option("concurrency", 20);
const WARMUP = option("warmup", 40);
const INSTANCES = option("instances", 10_000);
const INDEX_SECONDS = option("index-seconds", 5);
const POOL = option("pool", 20);
const TIMEOUT_S = option("timeout", 900);
const MEMORY = process.argv.includes("--memory");
const PROFILE = process.argv.includes("--profile");
const REQUEST_TIMEOUT_S = option("request-timeout", 60);
const SYNC = (() => {
  const i = process.argv.indexOf("--sync");
  return i < 0 ? "NORMAL" : String(process.argv[i + 1]).toUpperCase();
})();
const POST_DBS = listOption("post-db", ["postgres", "pglite"]) as ("postgres" | "pglite")[];
for (const d of POST_DBS) if (d !== "postgres" && d !== "pglite") throw new Error(`--post-db: postgres or pglite, not ${d}`);

const GOALS = { postP50: 30, postRatio: 2, postP99: 150, indexP99: 100 };

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PG_SCRIPT = join(ROOT, "scripts/test-postgres.sh");
const PRIVATE_PG_ENV = { ...process.env, JOEFLOW_TEST_PG_PORT: "54349", JOEFLOW_TEST_PG_DIR: join(ROOT, ".data/bench-web-postgres") };
const FLOOR_QUEUE = "bench-web-floor";
const TAG = Date.now().toString(36);
const deadline = Date.now() + TIMEOUT_S * 1000;

function checkDeadline(what: string): void {
  if (Date.now() > deadline) throw new Error(`over the --timeout of ${TIMEOUT_S} s (${what})`);
}

// ---------------------------------------------------------------------------------------------
// Statistics and printing

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);
const mean = (v: readonly number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
const ms = (v: number) => (Number.isNaN(v) ? "n/a" : `${v.toFixed(1)} ms`);
const num = (v: number, digits = 1) => (Number.isNaN(v) ? "n/a" : v.toFixed(digits));
function dist(values: readonly number[]): string {
  return `p50 ${ms(percentile(values, 50))}  p90 ${ms(percentile(values, 90))}  p99 ${ms(percentile(values, 99))}  ` +
    `mean ${ms(mean(values))}  (n=${values.length})`;
}
const pct = (v: number) => (Number.isNaN(v) ? "n/a" : `${(v * 100).toFixed(0)} %`);
const loadAvg = () => loadavg().map((l) => l.toFixed(1)).join(" ");

// ---------------------------------------------------------------------------------------------
// Tracing: what one web request or one activity spent, through AsyncLocalStorage

interface Trace {
  sqlMs: number;
  sqlCount: number;
  spans: Record<string, number>;
  queries?: { sql: string; parameters: readonly unknown[] }[];
}
const als = new AsyncLocalStorage<Trace>();
const newTrace = (): Trace => ({ sqlMs: 0, sqlCount: 0, spans: {} });

async function span<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const trace = als.getStore();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    if (trace) trace.spans[name] = (trace.spans[name] ?? 0) + performance.now() - t0;
  }
}

function kyselyLog(event: { queryDurationMillis: number; query: { sql: string; parameters: readonly unknown[] } }): void {
  const trace = als.getStore();
  if (!trace) return;
  trace.sqlMs += event.queryDurationMillis;
  trace.sqlCount++;
  trace.queries?.push({ sql: event.query.sql, parameters: event.query.parameters });
}

/** The joeflow client with each call timed as a span of the current trace. */
function timedJoeflow(joeflow: Joeflow): Joeflow {
  return new Proxy(joeflow, {
    get(target, p) {
      const value = Reflect.get(target, p);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => span(`joeflow.${String(p)}`, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

/** The Temporal client with `executeUpdate` timed as the span "update". */
function timedClient(client: Client): Client {
  const workflow = new Proxy(client.workflow, {
    get(target, p) {
      const value = Reflect.get(target, p);
      if (p === "getHandle") {
        return (...args: Parameters<typeof target.getHandle>) => {
          const handle = target.getHandle(...args);
          return new Proxy(handle, {
            get(h, q) {
              const v = Reflect.get(h, q);
              if (q === "executeUpdate") {
                return (...a: unknown[]) => span("update", () => (v as (...x: unknown[]) => Promise<unknown>).apply(h, a));
              }
              return typeof v === "function" ? v.bind(h) : v;
            },
          });
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return new Proxy(client, {
    get(target, p) {
      if (p === "workflow") return workflow;
      const value = Reflect.get(target, p);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Activities as the worker saw them: type, Temporal workflow id, time, and the SQL they ran. */
interface ActivityRecord { type: string; temporalId: string; ms: number; sqlMs: number; sqlCount: number }
let activityLog: ActivityRecord[] = [];
const timing: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const trace = newTrace();
      const t0 = performance.now();
      try {
        return await als.run(trace, () => next(input));
      } finally {
        activityLog.push({
          type: ctx.info.activityType, temporalId: ctx.info.workflowExecution?.workflowId ?? "", ms: performance.now() - t0,
          sqlMs: trace.sqlMs, sqlCount: trace.sqlCount,
        });
      }
    },
  },
});

/** Web requests as the app saw them (the wrapped `app.fetch`). */
interface RequestRecord { method: string; path: string; search: string; status: number; ms: number; trace: Trace }
let requestLog: RequestRecord[] = [];
function timedApp(app: Hono): Hono {
  const wrapped = {
    fetch: async (request: Request, ...rest: unknown[]) => {
      const trace = newTrace();
      const t0 = performance.now();
      const url = new URL(request.url);
      const response = await als.run(trace, () => (app.fetch as (r: Request, ...x: unknown[]) => Promise<Response>)(request, ...rest));
      requestLog.push({ method: request.method, path: url.pathname, search: url.search, status: response.status, ms: performance.now() - t0, trace });
      return response;
    },
  };
  return wrapped as unknown as Hono;
}

// ---------------------------------------------------------------------------------------------
// CPU of the processes involved

const TICK_MS = 10; // USER_HZ is 100 on Linux
function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
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
const cpuSources = { serverPid: undefined as number | undefined, database: "" };
interface Cpu { self: number; server: number; pg: number }

/** CPU ms of this process's threads: the main (JavaScript) thread, and the others by name. */
function threadsNow(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const key = Number(tid) === process.pid ? "main JS thread" : `${comm}#${tid}`;
      out.set(key, (out.get(key) ?? 0) + (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch { /* gone */ }
  }
  return out;
}

/** Machine-wide: CPU ms busy and available (all cores) from /proc/stat, and the CPU pressure stall total (µs). */
function machineNow(): { busy: number; total: number; stallUs: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  let stallUs = NaN;
  try {
    stallUs = Number(/some .*total=(\d+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"))?.[1] ?? NaN);
  } catch { /* no PSI */ }
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS, stallUs };
}
function cpuNow(): Cpu {
  const own = process.cpuUsage();
  const pgMs = cpuSources.database
    ? processes().filter((p) => p.cmdline.startsWith("postgres:") && p.cmdline.includes(` ${cpuSources.database} `))
      .reduce((sum, p) => sum + procCpuMs(p.pid), 0)
    : 0;
  return { self: (own.user + own.system) / 1000, server: cpuSources.serverPid ? procCpuMs(cpuSources.serverPid) : 0, pg: pgMs };
}

// ---------------------------------------------------------------------------------------------
// The load generator (a child process)

class Load {
  private child!: ChildProcess;
  private nextId = 1;
  private waiting = new Map<number, (reply: LoadReply | { error: string }) => void>();

  async start(): Promise<void> {
    this.child = fork(fileURLToPath(new URL("./web-load.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the load generator did not start in 60 s")), 60_000);
      this.child.once("message", () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.once("exit", (code) => reject(new Error(`the load generator exited with ${code}`)));
    });
    this.child.on("message", (m: (LoadReply | { id: number; error: string })) => {
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    });
  }

  async run(job: Omit<LoadJob, "id">): Promise<LoadReply> {
    const id = this.nextId++;
    const reply = await new Promise<LoadReply | { error: string }>((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...job, id });
    });
    if ("error" in reply) throw new Error(`load generator: ${reply.error}`);
    return reply;
  }

  stop(): void {
    if (this.child && this.child.exitCode === null) this.child.kill("SIGTERM");
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL (as bench/engine.ts, with its own private port)

interface Postgres { url: string; stop: () => void; how: string }
function pgScript(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync("bash", [PG_SCRIPT, ...args], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}
function startPostgres(): Postgres {
  const given = process.env.JOEFLOW_BENCH_PG_URL;
  if (given) return { url: given, stop: () => {}, how: "JOEFLOW_BENCH_PG_URL" };
  if (spawnSync("bash", [PG_SCRIPT, "status"], { stdio: "ignore" }).status === 0) {
    return { url: pgScript(["url"], process.env), stop: () => {}, how: "the running test server of scripts/test-postgres.sh (left running)" };
  }
  pgScript(["start"], PRIVATE_PG_ENV);
  return {
    url: pgScript(["url"], PRIVATE_PG_ENV),
    stop: () => pgScript(["stop"], PRIVATE_PG_ENV),
    how: "a private server started with scripts/test-postgres.sh on port 54349 (stopped at the end)",
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
// A stack: a database, a joeflow worker on its own task queue, the web app on its own port

type DbKind = "postgres" | "pglite";
interface Stack {
  kind: DbKind;
  label: string;
  db: Kysely<JoeflowDatabase>;
  joeflow: Joeflow;
  served: Served;
  headers: Record<string, string>;
  csrf: string;
}

async function signIn(base: string): Promise<{ headers: Record<string, string>; csrf: string }> {
  // The CSRF cookie is any 43-character base64url token; the form must send the same one back.
  const csrf = randomBytes(32).toString("base64url");
  const response = await fetch(`${base}/signin`, {
    method: "POST",
    headers: { cookie: `joeflow_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, name: "warehouse", next: "/" }).toString(),
    redirect: "manual",
  });
  await response.arrayBuffer();
  const user = response.headers.getSetCookie().find((c) => c.startsWith("joeflow_user="))?.split(";")[0];
  if (response.status !== 303 || !user) throw new Error(`sign-in failed: ${response.status}`);
  return { headers: { cookie: `joeflow_csrf=${csrf}; ${user}` }, csrf };
}

// ---------------------------------------------------------------------------------------------
// Phases

type Mode = "solo" | "saturated" | "paced";
interface Phase {
  /** What was measured, e.g. "POST ship form (PostgreSQL)". */
  what: string;
  mode: Mode;
  /** Users (requests in flight at most), and the paced rate. */
  users: number;
  rate?: number;
  kind: keyof typeof FLOOR_NAMES | "post" | "index";
  db?: DbKind;
  /** Latencies of the measured requests that succeeded (ms). */
  lat: number[];
  /** When each of them completed (ms since the phase began), and the phase's nominal length. */
  done: number[];
  windowMs: number;
  n: number;
  errors: number;
  errorSample?: string;
  wallMs: number;
  cpu: Cpu & { load: number };
  /** This process's CPU per request by thread (ms). */
  threads: Record<string, number>;
  /** The whole machine during the phase: busy share of all cores, the share our processes used, CPU pressure. */
  machine: { busy: number; ours: number; stalled: number };
  loop: { p50: number; p99: number; max: number };
  loadavg: string;
  /** Lines printed under the phase (profile, checks). */
  notes: string[];
}
const label = (p: Phase) => `${p.what}, ${p.mode === "solo" ? "1 user" : p.mode === "paced" ? `${p.users} users paced ${num(p.rate!, 0)}/s` : `${p.users} users`}`;
/** Successful requests per second, counting those completed within the phase's window (not late stragglers). */
const okRate = (p: Phase) => {
  const window = Math.min(p.wallMs, p.windowMs);
  return p.done.filter((t) => t <= window + 1).length / (window / 1000);
};

const loopDelay = monitorEventLoopDelay({ resolution: 5 });

/** Measures `body` with CPU, machine load and event-loop delay around it. */
async function measured<T extends { n: number; wallMs: number; loadCpu?: number }>(body: () => Promise<T>) {
  loopDelay.reset();
  loopDelay.enable();
  const cpu0 = cpuNow();
  const threads0 = threadsNow();
  const machine0 = machineNow();
  const w0 = performance.now();
  const t = await body();
  const wall = performance.now() - w0;
  const machine1 = machineNow();
  const threads1 = threadsNow();
  const cpu1 = cpuNow();
  loopDelay.disable();
  const per = (v: number) => v / Math.max(1, t.n);
  const available = machine1.total - machine0.total;
  const ours = cpu1.self - cpu0.self + cpu1.server - cpu0.server + cpu1.pg - cpu0.pg + (t.loadCpu ?? 0);
  const threads: Record<string, number> = {};
  for (const [name, v] of threads1) threads[name] = per(v - (threads0.get(name) ?? 0));
  return {
    result: t,
    threads,
    machine: {
      busy: (machine1.busy - machine0.busy) / available, ours: ours / available,
      stalled: (machine1.stallUs - machine0.stallUs) / 1000 / wall,
    },
    cpu: { self: per(cpu1.self - cpu0.self), server: per(cpu1.server - cpu0.server), pg: per(cpu1.pg - cpu0.pg), load: per(t.loadCpu ?? 0) },
    loop: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  };
}

/** Runs `count` jobs `concurrency` at a time. */
async function pool<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      out[i] = await job(i);
    }
  }));
  return out;
}

/** The paced rate for a phase whose saturating run managed `saturated` per second. */
function pacedRate(saturated: number): number {
  return RATE ?? Math.max(1, Math.min(CONCURRENCY, Math.floor(saturated / 2)));
}

// Floor ------------------------------------------------------------------------------------------

const FLOOR_NAMES = {
  "floor-bare": ["floorBare", "floor: bare update"],
  "floor-activity": ["floorActivity", "floor: update + activity"],
  "floor-db": ["floorDbWorkflow", "floor: update + activity + PG tx"],
  "floor-local-db": ["floorLocalDbWorkflow", "floor: update + local activity + PG tx"],
} as const;

/** One user's workflow per simulated user; each user sends its updates one after another (or paced). */
async function drive(
  handles: readonly WorkflowHandle[], options: { count: number; durationMs: number; ratePerSec?: number },
): Promise<{ n: number; wallMs: number; lat: number[]; done: number[]; errors: string[]; from: number; to: number }> {
  const lat: number[] = [];
  const done: number[] = [];
  const errors: string[] = [];
  const start = performance.now();
  const from = Date.now();
  const end = start + options.durationMs;
  let next = 0;
  await Promise.all(handles.map(async (handle) => {
    while (next < options.count && performance.now() < end) {
      const i = next++;
      if (options.ratePerSec) {
        const due = start + (i * 1000) / options.ratePerSec;
        if (due >= end) return;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      }
      const value = `v${i}-${Math.random()}`;
      const s = performance.now();
      try {
        let timer: NodeJS.Timeout | undefined;
        const answer = await Promise.race([
          handle.executeUpdate(floorUpdate, { args: [value] }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer in ${REQUEST_TIMEOUT_S} s`)), REQUEST_TIMEOUT_S * 1000);
          }),
        ]).finally(() => clearTimeout(timer));
        if (answer !== value) throw new Error(`the update answered ${answer}`);
        lat.push(performance.now() - s);
        done.push(performance.now() - start);
      } catch (error) {
        errors.push(String(error));
      }
    }
  }));
  return { n: lat.length + errors.length, wallMs: performance.now() - start, lat, done, errors, from, to: Date.now() };
}

interface Floor {
  kind: keyof typeof FLOOR_NAMES;
  ids: string[];
  handles: WorkflowHandle[];
}

/** Starts one floor workflow per user and warms them up. */
async function floorSetup(client: Client, kind: keyof typeof FLOOR_NAMES, db: Kysely<JoeflowDatabase>): Promise<Floor> {
  const [type] = FLOOR_NAMES[kind];
  const ids = Array.from({ length: CONCURRENCY }, (_, u) => `floor-${kind}-${TAG}-${u}`);
  const withDb = kind === "floor-db" || kind === "floor-local-db";
  if (withDb) await sql`INSERT INTO bench_floor (key, n) SELECT unnest(${ids}::text[]), 0`.execute(db);
  const handles = await Promise.all(ids.map((id) =>
    client.workflow.start(type, { taskQueue: FLOOR_QUEUE, workflowId: id, args: withDb ? [id] : [] })
  ));
  await Promise.all(handles.map((h) => h.query(readyQuery)));
  await drive(handles, { count: WARMUP, durationMs: 120_000 });
  await settle();
  return { kind, ids, handles };
}

async function floorRun(client: Client, floor: Floor, mode: Mode, ratePerSec?: number): Promise<Phase> {
  const what = FLOOR_NAMES[floor.kind][1];
  checkDeadline(what);
  const users = mode === "solo" ? floor.handles.slice(0, 1) : floor.handles;
  const options = mode === "solo" ? { count: SOLO, durationMs: SECONDS * 1000 }
    : mode === "saturated" ? { count: MAX, durationMs: SECONDS * 1000 }
    : { count: 1_000_000, durationMs: SECONDS * 1000, ratePerSec };
  activityLog = [];
  const m = await measured(() => drive(users, options));
  const r = m.result;
  const notes: string[] = [];
  const acts = activityLog.filter((a) => a.type.startsWith("floor"));
  if (acts.length) {
    notes.push(`activity in the worker: ${dist(acts.map((a) => a.ms))}; SQL statements ${num(mean(acts.map((a) => a.sqlCount)))} ` +
      `taking ${ms(mean(acts.map((a) => a.sqlMs)))}`);
  }
  notes.push(await historySteps(client, floor.ids.slice(0, 5), r.from, r.to));
  const phase: Phase = {
    what, mode, users: users.length, rate: ratePerSec, kind: floor.kind, lat: r.lat, done: r.done, windowMs: options.durationMs,
    n: r.n, errors: r.errors.length,
    errorSample: r.errors[0], wallMs: r.wallMs, cpu: m.cpu, threads: m.threads, machine: m.machine, loop: m.loop, loadavg: loadAvg(), notes,
  };
  printPhase(phase);
  await settle();
  return phase;
}

async function floorStop(floor: Floor): Promise<void> {
  await Promise.all(floor.handles.map((h) => h.signal(stopSignal).catch(() => {})));
}

/** Lets the machine calm down a little between phases. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000));
}

// POST -------------------------------------------------------------------------------------------

interface Order { workflowId: string; taskId: string }

async function prepareOrders(stack: Stack, count: number): Promise<{ orders: Order[]; ms: number }> {
  const t0 = performance.now();
  const ids = await pool(count, CONCURRENCY, async (i) => {
    checkDeadline("starting shipping orders");
    const { workflowId } = await stack.joeflow.start(shipping, { task: "checkout", state: { shippingAddress: `Bench street ${i}` }, user: "clerk" });
    return workflowId;
  });
  const orders: Order[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const found = await stack.db.selectFrom("joeflow_task").select(["id", "workflow_id"])
      .where("workflow_id", "in", chunk).where("name", "=", "ship").where("status", "=", "scheduled").execute();
    const byWorkflow = new Map(found.map((r) => [r.workflow_id, r.id]));
    for (const workflowId of chunk) {
      const taskId = byWorkflow.get(workflowId);
      if (!taskId) throw new Error(`order ${workflowId} has no open ship task`);
      orders.push({ workflowId, taskId });
    }
  }
  await waitIdle();
  return { orders, ms: performance.now() - t0 };
}

let trackingSeq = 0;
function postRequests(stack: Stack, orders: readonly Order[]): LoadRequest[] {
  return orders.map((o) => ({
    method: "POST" as const,
    path: `/shipping/ship/${o.taskId}/`,
    body: new URLSearchParams({ _csrf: stack.csrf, trackingCode: `TRK-${TAG}-${trackingSeq++}` }).toString(),
  }));
}

/** Sends these orders' ship forms; checks every answer and the tables; waits for the instances to finish. */
async function postRun(
  stack: Stack, client: Client, load: Load, orders: readonly Order[], mode: Mode | "warm-up",
  options: { users: number; durationMs: number; ratePerSec?: number; prepared: string; profile?: boolean },
): Promise<Phase | undefined> {
  requestLog = [];
  activityLog = [];
  const waits = samplePoolWaiting(stack);
  const profiler = options.profile ? await startProfile() : undefined;
  const m = await measured(async () => {
    const reply = await load.run({
      base: stack.served.url, headers: stack.headers, requests: postRequests(stack, orders), concurrency: options.users,
      durationMs: options.durationMs, maxRequests: orders.length, cycle: false, ratePerSec: options.ratePerSec,
      timeoutMs: REQUEST_TIMEOUT_S * 1000,
    });
    return { ...reply, n: reply.results.length, loadCpu: reply.cpuMs };
  });
  const poolWaits = waits.stop();
  const profileLines = profiler ? await profiler.stop() : [];
  const results = m.result.results;
  const bad = results.filter((r) => r.status !== 303 || r.location !== `/shipping/${orders[r.i]!.workflowId}/`);
  const good = results.filter((r) => !bad.includes(r));
  const posted = good.map((r) => orders[r.i]!);
  const profile = postProfile(results, orders, poolWaits);
  const drainT = performance.now();
  const drained = await waitDone(stack, posted.map((o) => o.workflowId));
  const drainMs = performance.now() - drainT;
  const check = await stack.db.selectFrom("joeflow_task").select((eb) => eb.fn.countAll<string>().as("n"))
    .where("id", "in", posted.length ? posted.map((o) => o.taskId) : ["-"]).where("status", "=", "succeeded")
    .where("completed_by_user", "=", "warehouse").executeTakeFirstOrThrow();
  const checked = Number(check.n) === posted.length;
  if (mode === "warm-up") {
    // A wrong answer is the benchmark's mistake (cookie, token, URL); a timeout is the machine's.
    const wrong = bad.filter((r) => r.status !== 0);
    if (wrong.length || !checked) throw new Error(`warm-up POSTs failed: ${wrong.length} wrong answers, e.g. ${JSON.stringify(wrong[0])}`);
    if (bad.length) console.log(`  warm-up: ${bad.length} POSTs got no answer in ${REQUEST_TIMEOUT_S} s (${bad[0]!.error})`);
    return undefined;
  }
  const notes = [options.prepared];
  notes.push(checked
    ? `checked: ${posted.length} answers 303 to /shipping/{id}/; ${posted.length} ship tasks succeeded, completed by "warehouse"`
    : `CHECK FAILED: ${posted.length} POSTs answered 303 but ${check.n} ship tasks are succeeded by warehouse`);
  notes.push(`the posted instances then finished their machine tasks (hasEmail, end) within ${(drainMs / 1000).toFixed(1)} s after the phase` +
    (drained ? "" : " -- NOT ALL DONE within 60 s"));
  if (!drained || bad.length) {
    const stuck = bad.map((r) => orders[r.i]!.workflowId);
    if (!drained) stuck.push(...await notDone(stack, posted.map((o) => o.workflowId)));
    notes.push(...await diagnose(client, stuck.slice(0, 3).map((id) => temporalWorkflowId("shipping", id))));
  }
  const late = results.map((r) => r.late ?? 0);
  if (options.ratePerSec) notes.push(`sent late (no user free) by: p50 ${ms(percentile(late, 50))}, p99 ${ms(percentile(late, 99))}`);
  notes.push(...profile);
  notes.push(...profileLines);
  notes.push(await historySteps(client, posted.slice(0, 20).map((o) => temporalWorkflowId("shipping", o.workflowId))));
  const phase: Phase = {
    what: `POST ship form (${stack.kind === "pglite" ? "PGlite" : "PostgreSQL"})`, mode, users: options.users, rate: options.ratePerSec,
    kind: "post", db: stack.kind, lat: good.map((r) => r.ms), done: good.map((r) => r.at + r.ms), windowMs: options.durationMs,
    n: results.length, errors: bad.length,
    errorSample: bad[0] && JSON.stringify(bad[0]), wallMs: m.result.wallMs, cpu: m.cpu, threads: m.threads, machine: m.machine, loop: m.loop, loadavg: loadAvg(), notes,
  };
  printPhase(phase);
  await settle();
  return phase;
}

/** The 1-user and the saturating runs of a stack's POSTs (with their warm-up). */
async function postSaturated(stack: Stack, client: Client, load: Load, floorDbRate: number | undefined): Promise<Phase[]> {
  // Enough orders for the saturating run: a POST does all a floor-db update does and more (it measured
  // at 4 to 7 times the CPU), so half what that floor managed leaves room; a run that uses them all up
  // just ends early (and says so).
  const saturatedCount = Math.min(MAX, floorDbRate ? Math.ceil(floorDbRate * SECONDS * 0.5) + 40 : MAX);
  const first = await prepareOrders(stack, WARMUP + SOLO + saturatedCount);
  const prepared = `prepared ${first.orders.length} orders (warm-up ${WARMUP}, 1 user ${SOLO}, saturating ${saturatedCount}; ` +
    `joeflow.start, ${CONCURRENCY} at a time) in ${(first.ms / 1000).toFixed(1)} s`;
  console.log(`  ${prepared}`);
  const warm = first.orders.slice(0, WARMUP);
  const solo = first.orders.slice(WARMUP, WARMUP + SOLO);
  const rest = first.orders.slice(WARMUP + SOLO);
  await postRun(stack, client, load, warm, "warm-up", { users: CONCURRENCY, durationMs: 120_000, prepared });
  await settle();
  const phases: Phase[] = [];
  phases.push((await postRun(stack, client, load, solo, "solo", { users: 1, durationMs: SECONDS * 1000, prepared }))!);
  const saturated = (await postRun(stack, client, load, rest, "saturated", {
    users: CONCURRENCY, durationMs: SECONDS * 1000, prepared, profile: PROFILE && stack.kind === "postgres",
  }))!;
  phases.push(saturated);
  if (saturated.n >= rest.length) {
    console.log(`  (the saturating run used up its ${rest.length} orders before ${SECONDS} s: it ran ${(saturated.wallMs / 1000).toFixed(1)} s)`);
  }
  return phases;
}

async function postPaced(stack: Stack, client: Client, load: Load, rate: number): Promise<Phase> {
  checkDeadline("POST");
  const orders = await prepareOrders(stack, Math.ceil(rate * SECONDS) + 5);
  return (await postRun(stack, client, load, orders.orders, "paced", {
    users: CONCURRENCY, durationMs: SECONDS * 1000, ratePerSec: rate,
    prepared: `prepared ${orders.orders.length} orders in ${(orders.ms / 1000).toFixed(1)} s`,
  }))!;
}

function samplePoolWaiting(stack: Stack): { stop: () => { max: number; mean: number } | undefined } {
  const pgPool = poolOf.get(stack.db);
  if (!pgPool) return { stop: () => undefined };
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(pgPool.waitingCount), 20);
  return {
    stop: () => {
      clearInterval(timer);
      return { max: Math.max(0, ...samples), mean: mean(samples) };
    },
  };
}

/** Where the time of one POST goes: means add up, so the split is by means; p50s beside them. */
function postProfile(results: readonly LoadResult[], orders: readonly Order[], waits?: { max: number; mean: number }): string[] {
  const byPath = new Map(requestLog.filter((r) => r.method === "POST").map((r) => [r.path, r]));
  const activities = new Map(activityLog.filter((a) => a.type === "completeHuman").map((a) => [a.temporalId, a]));
  const rows: {
    client: number; handler: number; sql: number; sqlCount: number; getTask: number; get: number; complete: number; update: number;
    auth: number; activity?: ActivityRecord;
  }[] = [];
  for (const r of results) {
    if (r.status !== 303) continue;
    const order = orders[r.i]!;
    const server = byPath.get(`/shipping/ship/${order.taskId}/`);
    if (!server) continue;
    const s = server.trace.spans;
    rows.push({
      client: r.ms, handler: server.ms, sql: server.trace.sqlMs, sqlCount: server.trace.sqlCount,
      getTask: s["joeflow.getTask"] ?? 0, get: s["joeflow.get"] ?? 0, complete: s["joeflow.completeTask"] ?? 0, update: s["update"] ?? 0,
      auth: s["auth.user"] ?? 0,
      activity: activities.get(temporalWorkflowId("shipping", order.workflowId)),
    });
  }
  if (rows.length === 0) return ["(no server-side records)"];
  const col = (f: (r: (typeof rows)[number]) => number) => rows.map(f);
  const client = mean(col((r) => r.client));
  const line = (text: string, values: number[]) =>
    `  ${text.padEnd(54)} mean ${ms(mean(values)).padStart(9)}  p50 ${ms(percentile(values, 50)).padStart(9)}  ` +
    `p99 ${ms(percentile(values, 99)).padStart(9)}  ${((mean(values) / client) * 100).toFixed(0).padStart(3)} %`;
  const withAct = rows.filter((r) => r.activity);
  const out = [`where a POST's time goes (${rows.length} requests; % of the client's mean):`];
  out.push(line("client: POST -> 303 (load generator)", col((r) => r.client)));
  out.push(line("  outside the handler (HTTP, node-server, client)", col((r) => r.client - r.handler)));
  out.push(line("  Hono handler (in-process, whole)", col((r) => r.handler)));
  out.push(line("    web-side SQL (the statements' own time)", col((r) => r.sql)));
  out.push(line("    Temporal executeUpdate (in completeTask)", col((r) => r.update)));
  if (withAct.length) {
    out.push(line("      completeHuman activity in the worker", withAct.map((r) => r.activity!.ms)));
    out.push(line("        its SQL (the statements' own time)", withAct.map((r) => r.activity!.sqlMs)));
    out.push(line("      update minus activity (Temporal round trips)", withAct.map((r) => r.update - r.activity!.ms)));
  }
  out.push(line("    rest of the handler (JS, pool waits, render)", col((r) => r.handler - r.sql - r.update)));
  out.push(`  auth.user (signed-cookie check, 3 calls per POST) ${ms(mean(col((r) => r.auth)))}; ` +
    `joeflow calls: getTask ${ms(mean(col((r) => r.getTask)))}, get ${ms(mean(col((r) => r.get)))}, ` +
    `completeTask ${ms(mean(col((r) => r.complete)))} (with the update); SQL statements per POST: web ${num(mean(col((r) => r.sqlCount)))}` +
    (withAct.length ? `, activity ${num(mean(withAct.map((r) => r.activity!.sqlCount)))}` : ""));
  const machine = activityLog.filter((a) => a.type === "runTask");
  if (machine.length) {
    out.push(`  machine tasks meanwhile (runTask: hasEmail, end): ${machine.length}, ${dist(machine.map((a) => a.ms))}; ` +
      `${num(mean(machine.map((a) => a.sqlCount)))} SQL statements each`);
    out.push(`  SQL statements per POST in all (web + completeHuman + machine tasks, over the phase): ` +
      `${num((sum(col((r) => r.sqlCount)) + sum(activityLog.filter((a) => a.type === "completeHuman" || a.type === "runTask").map((a) => a.sqlCount))) / rows.length)}`);
  }
  if (waits) out.push(`  pg pool (max ${POOL}) callers waiting for a connection, sampled every 20 ms: mean ${num(waits.mean)}, max ${waits.max}`);
  return out;
}

/** Waits until these instances are done (their machine tasks after `ship`), at most 60 s. */
async function waitDone(stack: Stack, workflowIds: readonly string[]): Promise<boolean> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    let open = 0;
    for (let i = 0; i < workflowIds.length; i += 500) {
      const row = await stack.db.selectFrom("joeflow_workflow").select((eb) => eb.fn.countAll<string>().as("n"))
        .where("id", "in", workflowIds.slice(i, i + 500)).where("status", "!=", "done").executeTakeFirstOrThrow();
      open += Number(row.n);
    }
    if (open === 0) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function notDone(stack: Stack, workflowIds: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < workflowIds.length; i += 500) {
    const rows = await stack.db.selectFrom("joeflow_workflow").select("id")
      .where("id", "in", workflowIds.slice(i, i + 500)).where("status", "!=", "done").execute();
    out.push(...rows.map((r) => r.id));
  }
  return out;
}

/** What a stuck instance waits for, as Temporal describes it. */
async function diagnose(client: Client, temporalIds: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const id of temporalIds) {
    try {
      const d = await client.workflow.getHandle(id).describe();
      const acts = (d.raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} state=${a.state} attempt=${a.attempt}` +
        `${a.lastFailure?.message ? ` lastFailure=${a.lastFailure.message}` : ""}`);
      lines.push(`STUCK ${id}: ${d.status.name}, history ${d.historyLength} events; pending activities [${acts.join("; ")}]; ` +
        `pending workflow task ${d.raw.pendingWorkflowTask ? `state=${d.raw.pendingWorkflowTask.state} attempt=${d.raw.pendingWorkflowTask.attempt}` : "none"}`);
    } catch (error) {
      lines.push(`STUCK ${id}: describe failed: ${error}`);
    }
  }
  return lines;
}

/** Waits until no activity ran for 500 ms (at most 30 s). */
async function waitIdle(): Promise<void> {
  const until = Date.now() + 30_000;
  let seen = -1;
  while (Date.now() < until) {
    if (activityLog.length === seen) return;
    seen = activityLog.length;
    await new Promise((r) => setTimeout(r, 500));
  }
}

// The main thread's CPU profile (--profile): self time by package and by function

let profiles = 0;
async function startProfile(): Promise<{ stop: () => Promise<string[]> }> {
  const session = new inspector.Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 1000 });
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      const file = join(tmpdir(), `joeflow-bench-web-${TAG}-${++profiles}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      // Leave out the profiler's own work (its stop call), found by the inspector frames above it.
      const parent = new Map<number, number>();
      for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const profilerOwn = (id: number): boolean => {
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
          if (byId.get(at)?.callFrame.url.startsWith("node:inspector")) return true;
        }
        return false;
      };
      const ticks = new Map<number, number>();
      const deltas = profile.timeDeltas ?? [];
      (profile.samples ?? []).forEach((id, i) => {
        if (!profilerOwn(id)) ticks.set(id, (ticks.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
      });
      const idle = profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").reduce((a, n) => a + (ticks.get(n.id) ?? 0), 0);
      for (const n of profile.nodes) if (n.callFrame.functionName === "(idle)") ticks.delete(n.id);
      const total = [...ticks.values()].reduce((a, b) => a + b, 0);
      const byGroup = new Map<string, number>();
      const byFunction = new Map<string, number>();
      for (const node of profile.nodes) {
        const t = ticks.get(node.id) ?? 0;
        if (!t) continue;
        const { url, functionName, lineNumber } = node.callFrame;
        const group = groupOf(url, functionName);
        byGroup.set(group, (byGroup.get(group) ?? 0) + t);
        const fn = `${functionName || "(anonymous)"} ${url.replace(/^file:\/\//, "").replace(ROOT, "")}:${lineNumber + 1}`;
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + t);
      }
      const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
        .map(([k, v]) => `${(v / total * 100).toFixed(1).padStart(5)} %  ${k}`);
      return [
        `main thread CPU profile: ${(total / 1000).toFixed(1)} s busy, ${(idle / 1000).toFixed(1)} s idle (${file}); busy self time by package:`,
        ...top(byGroup, 14).map((l) => `  ${l}`),
        `top functions by self time:`,
        ...top(byFunction, 20).map((l) => `  ${l}`),
      ];
    },
  };
}

function groupOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const path = url.replace(/^file:\/\//, "");
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1]!;
  if (path.startsWith("node:")) return "node internals";
  if (path.startsWith(ROOT)) return `joeflow ${path.slice(ROOT.length).split("/").slice(0, 2).join("/")}`;
  return path;
}

// History: the server-side steps of updates ------------------------------------------------------

const E = protos.temporal.api.enums.v1.EventType;
function eventMs(e: proto.api.history.v1.IHistoryEvent): number {
  const t = e.eventTime!;
  return Number(String(t.seconds ?? 0)) * 1000 + (t.nanos ?? 0) / 1e6;
}

/** An accepted update of the kind measured: a floor update or joeflow's completeTask (not `started`). */
function measuredUpdate(e: proto.api.history.v1.IHistoryEvent): boolean {
  const name = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
  return e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED && (name === "completeTask" || name === "floor");
}

/** The steps of each update accepted in [from, to] (epoch ms) by these workflows, from their histories. */
async function historySteps(client: Client, temporalIds: readonly string[], from = 0, to = Infinity): Promise<string> {
  const steps: Record<string, number[]> = { wft1Queue: [], wft1Run: [], actQueue: [], actRun: [], wft2Queue: [], wft2Run: [], span: [] };
  for (const id of temporalIds) {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    events.forEach((e, k) => {
      if (!measuredUpdate(e) || eventMs(e) < from || eventMs(e) > to) return;
      if (steps.span!.length >= 60) return;
      const before = events.slice(0, k);
      const s1 = before.findLast((x) => x.eventType === E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
      const st1 = before.findLast((x) => x.eventType === E.EVENT_TYPE_WORKFLOW_TASK_STARTED);
      const c1 = before.findLast((x) => x.eventType === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      const nextAccepted = events.findIndex((x, j) => j > k && x.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
      const after = events.slice(k, nextAccepted < 0 ? undefined : nextAccepted);
      const done = after.find((x) => x.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
      if (!s1 || !st1 || !c1 || !done) return;
      steps.wft1Queue!.push(eventMs(st1) - eventMs(s1));
      steps.wft1Run!.push(eventMs(c1) - eventMs(st1));
      steps.span!.push(eventMs(done) - eventMs(s1));
      const as = after.find((x) => x.eventType === E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
      const ast = after.find((x) => x.eventType === E.EVENT_TYPE_ACTIVITY_TASK_STARTED);
      const ac = after.find((x) => x.eventType === E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
      if (!as || !ast || !ac) return;
      const rest = after.slice(after.indexOf(ac));
      const s2 = rest.find((x) => x.eventType === E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
      const st2 = rest.find((x) => x.eventType === E.EVENT_TYPE_WORKFLOW_TASK_STARTED);
      const c2 = rest.find((x) => x.eventType === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      steps.actQueue!.push(eventMs(ast) - eventMs(as));
      steps.actRun!.push(eventMs(ac) - eventMs(ast));
      if (s2 && st2 && c2) {
        steps.wft2Queue!.push(eventMs(st2) - eventMs(s2));
        steps.wft2Run!.push(eventMs(c2) - eventMs(st2));
      }
    });
  }
  // One update's events as a timeline (+ms from its workflow task being scheduled), for the first sample.
  let timeline = "";
  for (const id of temporalIds.slice(0, 1)) {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    const k = events.findIndex((e) => measuredUpdate(e) && eventMs(e) >= from && eventMs(e) <= to);
    if (k < 0) continue;
    const startAt = events.slice(0, k).findLastIndex((x) => x.eventType === E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    const nextAccepted = events.findIndex((x, j) => j > k && x.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    const span = events.slice(startAt, nextAccepted < 0 ? undefined : nextAccepted);
    const t0 = eventMs(span[0]!);
    const short = (e: proto.api.history.v1.IHistoryEvent) => String(E[e.eventType!]).replace("EVENT_TYPE_", "").replace("WORKFLOW_EXECUTION_", "")
      .replace("WORKFLOW_TASK_", "WFT_").replace("ACTIVITY_TASK_", "ACT_").toLowerCase();
    if (process.env.BENCH_WEB_DEBUG_HISTORY) {
      const first = eventMs(events[0]!);
      console.log(`DEBUG history of ${id}:\n` + events.map((e) => `  ${e.eventId} +${(eventMs(e) - first).toFixed(0)} ${E[e.eventType!]} ` +
        `${e.activityTaskScheduledEventAttributes?.activityType?.name ?? ""}${e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? ""}`).join("\n"));
    }
    timeline = `\n      one update's events after its workflow task was scheduled (${id}, ${span.length} events): ` +
      span.map((e) => `${short(e)} +${(eventMs(e) - t0).toFixed(0)}`).join(", ");
  }
  const p = (k: string) => ms(percentile(steps[k]!, 50));
  const activity = steps.actRun!.length
    ? `; activity queued ${p("actQueue")}, ran ${p("actRun")}; workflow task queued ${p("wft2Queue")}, ran ${p("wft2Run")}`
    : "";
  return `server-side steps of an update (history event times, p50 of ${steps.span!.length}): ` +
    `workflow task queued ${p("wft1Queue")}, ran ${p("wft1Run")}${activity}; workflow task scheduled -> update completed ${p("span")}${timeline}`;
}

// Index -------------------------------------------------------------------------------------------

function nextLink(html: string): string | undefined {
  const m = /<a href="([^"]+)" rel="next">/.exec(html);
  return m?.[1]?.replaceAll("&amp;", "&").replaceAll("&#39;", "'").replaceAll("&quot;", '"');
}

async function indexPhases(stack: Stack, load: Load, pgPool: pg.Pool): Promise<Phase[]> {
  const base = stack.served.url;
  const t0 = performance.now();
  const seeded = await seedInstances(pgPool, INSTANCES, { shipping: shipping.graph, welcome: welcome.graph });
  const total = await stack.db.selectFrom("joeflow_workflow").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  console.log(`  wrote ${INSTANCES} instances in ${(seeded.ms / 1000).toFixed(1)} s (${Object.entries(seeded.counts).map(([k, v]) => `${k} ${v}`).join(", ")}); ` +
    `${total.n} instances in the table in all; ANALYZE done`);
  const get = async (path: string) => {
    const response = await fetch(base + path, { headers: stack.headers });
    const html = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
    return html;
  };
  const filtered = "/?name=shipping&status=running";
  const second = nextLink(await get("/"));
  const filteredSecond = nextLink(await get(filtered));
  // A page in the middle: the cursor of the row at half the table, made the way the list makes it.
  const middle = await stack.db.selectFrom("joeflow_workflow").select(["created", "id"]).orderBy("created", "desc").orderBy("id", "desc")
    .offset(Math.floor(Number(total.n) / 2)).limit(2).execute();
  const middleCursor = btoa(JSON.stringify([new Date(middle[0]!.created).toISOString(), middle[0]!.id])).replaceAll("=", "");
  const middlePath = `/?cursor=${encodeURIComponent(middleCursor)}`;
  if (!(await get(middlePath)).includes(middle[1]!.id)) console.warn("  bench: the middle page does not show the expected row (cursor format changed?)");
  const urls: [string, string | undefined][] = [
    ["GET / (newest 25)", "/"],
    ["GET /?name=shipping&status=running", filtered],
    ["GET / page 2 (cursor)", second],
    ["GET filtered page 2 (cursor)", filteredSecond],
    ["GET / middle page (cursor)", middlePath],
  ];
  console.log(`  prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s; pages: ${urls.map(([, u]) => u ?? "(none)").join("  ")}`);
  const phases: Phase[] = [];
  const run = async (what: string, path: string, ratePerSec?: number) => {
    checkDeadline("index");
    requestLog = [];
    const profiler = PROFILE && path === "/" && !ratePerSec ? await startProfile() : undefined;
    const m = await measured(async () => {
      const reply = await load.run({
        base, headers: stack.headers, requests: [{ method: "GET", path }], concurrency: CONCURRENCY, durationMs: INDEX_SECONDS * 1000,
        maxRequests: 1_000_000, cycle: true, ratePerSec, timeoutMs: REQUEST_TIMEOUT_S * 1000,
      });
      return { ...reply, n: reply.results.length, loadCpu: reply.cpuMs };
    });
    const profileLines = profiler ? await profiler.stop() : [];
    const results = m.result.results;
    const bad = results.filter((r) => r.status !== 200);
    const server = requestLog.filter((r) => r.method === "GET");
    const notes = [
      ...profileLines,
      `response ${Math.round(mean(results.map((r) => r.bytes)))} bytes; in the handler: ${dist(server.map((r) => r.ms))}`,
      `  of which auth.user (2 signed-cookie checks) ${ms(mean(server.map((r) => r.trace.spans["auth.user"] ?? 0)))} mean, ` +
      `joeflow.list ${ms(mean(server.map((r) => r.trace.spans["joeflow.list"] ?? 0)))} mean, its SQL ${ms(mean(server.map((r) => r.trace.sqlMs)))} ` +
      `(${num(mean(server.map((r) => r.trace.sqlCount)))} statements); outside the handler ${ms(mean(results.map((r) => r.ms)) - mean(server.map((r) => r.ms)))} mean`,
    ];
    const phase: Phase = {
      what, mode: ratePerSec ? "paced" : "saturated", users: CONCURRENCY, rate: ratePerSec, kind: "index", db: stack.kind,
      lat: results.filter((r) => r.status === 200).map((r) => r.ms), done: results.filter((r) => r.status === 200).map((r) => r.at + r.ms),
      windowMs: INDEX_SECONDS * 1000, n: results.length, errors: bad.length,
      errorSample: bad[0] && JSON.stringify(bad[0]), wallMs: m.result.wallMs, cpu: m.cpu, threads: m.threads, machine: m.machine, loop: m.loop, loadavg: loadAvg(), notes,
    };
    printPhase(phase);
    phases.push(phase);
    return phase;
  };
  for (const [what, path] of urls) {
    if (!path) {
      console.log(`  ${what}: no such page (no "Older instances" link)`);
      continue;
    }
    await load.run({ base, headers: stack.headers, requests: [{ method: "GET", path }], concurrency: CONCURRENCY, durationMs: 30_000, maxRequests: WARMUP, cycle: true });
    const saturated = await run(what, path);
    if (path === "/") await run(what, path, pacedRate(okRate(saturated)));
  }

  // The list queries the pages ran, with their plans.
  console.log(`\n  EXPLAIN (ANALYZE, BUFFERS) of the queries behind the index pages:`);
  for (const [what, path] of urls) {
    if (!path) continue;
    const trace: Trace = { ...newTrace(), queries: [] };
    const params = new URL(path, base).searchParams;
    await als.run(trace, () => stack.joeflow.list({
      name: params.get("name") ?? undefined, status: (params.get("status") ?? undefined) as "running" | undefined,
      cursor: params.get("cursor") ?? undefined, limit: 25,
    }));
    for (const q of trace.queries!) {
      const plan = await pgPool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.parameters as unknown[]);
      console.log(`  -- ${what}: ${q.sql}  ${JSON.stringify(q.parameters)}`);
      for (const row of plan.rows) console.log(`     ${row["QUERY PLAN"]}`);
    }
  }
  return phases;
}

// ---------------------------------------------------------------------------------------------
// Printing

function printPhase(p: Phase): void {
  console.log(`  ${label(p)}: ${p.n} requests in ${(p.wallMs / 1000).toFixed(1)} s, ${okRate(p).toFixed(1)}/s, ${p.errors} errors; ${dist(p.lat)}`);
  if (p.errorSample) console.log(`      first error: ${p.errorSample.slice(0, 300)}`);
  console.log(`      CPU per request: this process ${ms(p.cpu.self)}, dev server ${ms(p.cpu.server)}, PostgreSQL backends ${ms(p.cpu.pg)}` +
    `${p.cpu.load ? `, load generator ${ms(p.cpu.load)}` : ""}; this process's event-loop delay p50 ${ms(p.loop.p50)} p99 ${ms(p.loop.p99)} ` +
    `max ${ms(p.loop.max)}`);
  // The busiest threads one by one (the workflow threads are "node" worker threads), the rest by name.
  const sorted = Object.entries(p.threads).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const rest = new Map<string, number>();
  for (const [k, v] of sorted.slice(4)) rest.set(k.replace(/#\d+$/, ""), (rest.get(k.replace(/#\d+$/, "")) ?? 0) + v);
  const shown = [...sorted.slice(0, 4), ...[...rest].map(([k, v]) => [`other ${k}`, v] as const)].filter(([, v]) => v >= 0.05);
  console.log(`      this process's CPU per request by thread: ${shown.map(([k, v]) => `${k} ${ms(v)}`).join(", ")}`);
  console.log(`      machine: ${pct(p.machine.busy)} of both cores busy, ${pct(p.machine.ours)} by this benchmark's processes, ` +
    `${pct(p.machine.busy - p.machine.ours)} by others; CPU pressure (some task waiting for a core) ${pct(p.machine.stalled)} of the time; load average ${p.loadavg}`);
  for (const note of p.notes) console.log(`      ${note}`);
}

function summary(phases: readonly Phase[]): void {
  console.log(`\n=== bench/web.ts summary (2 cores, shared; load average now ${loadAvg()}) ===`);
  const header = `${"phase".padEnd(58)} ${"n".padStart(6)} ${"req/s".padStart(7)} ${"p50".padStart(9)} ${"p90".padStart(9)} ` +
    `${"p99".padStart(9)} ${"max".padStart(9)} ${"err".padStart(4)} ${"CPU/req".padStart(8)} ${"others".padStart(7)} ${"stall".padStart(6)}`;
  console.log(header);
  console.log("-".repeat(header.length));
  for (const p of phases) {
    const cpu = p.cpu.self + p.cpu.server + p.cpu.pg + p.cpu.load;
    console.log(`${label(p).padEnd(58)} ${String(p.n).padStart(6)} ${okRate(p).toFixed(1).padStart(7)} ${ms(percentile(p.lat, 50)).padStart(9)} ` +
      `${ms(percentile(p.lat, 90)).padStart(9)} ${ms(percentile(p.lat, 99)).padStart(9)} ${ms(p.lat.length ? Math.max(...p.lat) : NaN).padStart(9)} ` +
      `${String(p.errors).padStart(4)} ${ms(cpu).padStart(8)} ${pct(p.machine.busy - p.machine.ours).padStart(7)} ${pct(p.machine.stalled).padStart(6)}`);
  }
  console.log(`CPU/req: CPU time per request of this process + dev server + PostgreSQL backends + load generator; others: share of both ` +
    `cores used by processes not of this benchmark; stall: CPU pressure (some task waiting for a core).`);
  const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
  const floor = (kind: Phase["kind"], mode: Mode) => phases.find((p) => p.kind === kind && p.mode === mode);
  console.log(`\ngoals (the issue's: ${CONCURRENCY} users, closed loop; paced runs for comparison)`);
  const goal = (text: string, ok: boolean) => console.log(`  ${text.padEnd(96)} ${verdict(ok)}`);
  for (const post of phases.filter((p) => p.kind === "post" && p.mode !== "solo")) {
    const p50 = percentile(post.lat, 50);
    const p99 = percentile(post.lat, 99);
    goal(`${label(post)}: p50 ${ms(p50)} <= ${GOALS.postP50} ms`, p50 <= GOALS.postP50);
    goal(`${label(post)}: p99 ${ms(p99)} <= ${GOALS.postP99} ms`, p99 <= GOALS.postP99);
    for (const kind of ["floor-bare", "floor-activity", "floor-db", "floor-local-db"] as const) {
      const f = floor(kind, post.mode);
      if (!f) continue;
      const ratio = p50 / percentile(f.lat, 50);
      goal(`${label(post)}: p50 / ${FLOOR_NAMES[kind][1]} p50 (${ms(percentile(f.lat, 50))}) = ${ratio.toFixed(2)} <= ${GOALS.postRatio}`, ratio <= GOALS.postRatio);
    }
  }
  for (const index of phases.filter((p) => p.kind === "index")) {
    const p99 = percentile(index.lat, 99);
    goal(`${label(index)}: p99 ${ms(p99)} <= ${GOALS.indexP99} ms`, p99 <= GOALS.indexP99);
  }
  // With users in a closed loop the latency is users / throughput (Little's law), so the saturated goals are
  // throughput goals: say what each kind would need, and what its CPU per request allows on this machine.
  const needed = CONCURRENCY / (GOALS.postP50 / 1000);
  console.log(`\nclosed loop: mean latency = ${CONCURRENCY} users / throughput, so p50 <= ${GOALS.postP50} ms needs about ${needed.toFixed(0)} requests/s, ` +
    `i.e. <= ${(2000 / needed).toFixed(1)} ms of CPU per request on 2 cores (load generator included). CPU per request measured:`);
  for (const p of phases.filter((x) => x.mode === "saturated")) {
    const cpu = p.cpu.self + p.cpu.server + p.cpu.pg + p.cpu.load;
    console.log(`  ${label(p).padEnd(58)} ${ms(cpu).padStart(9)}  -> at most ~${(2000 / cpu).toFixed(0)}/s on 2 free cores`);
  }
}

// ---------------------------------------------------------------------------------------------

const poolOf = new WeakMap<Kysely<JoeflowDatabase>, pg.Pool>();
let tearingDown = false;
process.on("uncaughtException", (error) => {
  if (tearingDown && /Channel has been shut down/.test(String(error))) return;
  console.error("bench: uncaught", error);
  process.exit(1);
});

async function main(): Promise<number> {
  const hardStop = setTimeout(() => {
    console.error(`bench: still running ${TIMEOUT_S + 90} s after the start; exiting`);
    process.exit(3);
  }, (TIMEOUT_S + 90) * 1000);
  hardStop.unref();

  Runtime.install({ logger: new DefaultLogger("WARN") });
  const cleanups: { what: string; run: () => Promise<void> | void }[] = [];
  const phases: Phase[] = [];
  let code = 0;
  try {
    console.log(`bench/web.ts: ${CONCURRENCY} users; per kind: ${WARMUP} warm-up requests, ${SOLO} with 1 user, then ${SECONDS} s (at most ` +
      `${MAX} requests) with ${CONCURRENCY} users in a closed loop, then ${SECONDS} s paced; POST on ${POST_DBS.join(" and ") || "nothing"}; ` +
      `index with ${INSTANCES} instances, ${INDEX_SECONDS} s per page. Load average ${loadAvg()}`);

    // PostgreSQL and a fresh database.
    const postgres = startPostgres();
    cleanups.unshift({ what: "stop PostgreSQL", run: postgres.stop });
    const database = `joeflow_bench_web_${Date.now()}`;
    await adminQuery(postgres.url, `CREATE DATABASE ${database}`);
    cleanups.unshift({ what: `drop ${database}`, run: () => adminQuery(postgres.url, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`) });
    const pgPool = new pg.Pool({ connectionString: withDatabase(postgres.url, database), max: POOL, idleTimeoutMillis: 0 });
    const pgDb = new Kysely<JoeflowDatabase>({ dialect: new PostgresDialect({ pool: pgPool }), log: kyselyLog });
    poolOf.set(pgDb, pgPool);
    cleanups.unshift({ what: "close the pool", run: () => pgDb.destroy() });
    cpuSources.database = database;
    await migrateToLatest(pgDb);
    await sql`CREATE TABLE bench_floor (key text PRIMARY KEY, n integer NOT NULL, value text)`.execute(pgDb);
    await sql`CREATE TABLE bench_floor_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key text NOT NULL, value text, at timestamptz NOT NULL)`.execute(pgDb);
    const pgVersion = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(pgDb)).rows[0]!.v;
    console.log(`PostgreSQL ${pgVersion}: ${postgres.how}; database ${database}, pool of ${POOL}`);

    // The dev server, as the demo starts it (no UI).
    const dbFile = MEMORY ? undefined : join(tmpdir(), `joeflow-bench-web-${Date.now()}.sqlite`);
    const t = performance.now();
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: await devServerExecutable(),
        ui: false,
        ...(dbFile ? { dbFilename: dbFile } : {}),
        extraArgs: ["--sqlite-pragma", "journal_mode=WAL", "--sqlite-pragma", `synchronous=${SYNC}`],
      },
    });
    cleanups.unshift({
      what: "tear the dev server down",
      run: async () => {
        tearingDown = true;
        await env.teardown();
        if (dbFile) for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
      },
    });
    const port = env.address.split(":").pop();
    cpuSources.serverPid = processes().find((p) => p.cmdline.includes("start-dev") && p.cmdline.includes(`--port ${port} `))?.pid;
    if (!cpuSources.serverPid) console.warn("bench: the dev server's process was not found; its CPU time is not counted");
    console.log(`Temporal dev server up in ${((performance.now() - t) / 1000).toFixed(1)} s (SQLite ${dbFile ?? "in memory"}, WAL, synchronous=${SYNC})`);
    const client = timedClient(env.client);

    // The floor worker.
    const floorWorker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: FLOOR_QUEUE,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: fileURLToPath(new URL("./web-floor-workflow.ts", import.meta.url)),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
      }),
      activities: {
        floorEcho: async (value: string) => value,
        floorDb: async ({ key, value }: { key: string; value: string }) =>
          await pgDb.transaction().execute(async (tx) => {
            await sql`SELECT n FROM bench_floor WHERE key = ${key} FOR UPDATE`.execute(tx);
            await sql`UPDATE bench_floor SET n = n + 1, value = ${value} WHERE key = ${key}`.execute(tx);
            await sql`INSERT INTO bench_floor_log (key, value, at) VALUES (${key}, ${value}, now())`.execute(tx);
            return value;
          }),
      },
      interceptors: { activity: [timing] },
    });
    const floorRunning = floorWorker.run();
    cleanups.unshift({
      what: "shut the floor worker down",
      run: async () => {
        floorWorker.shutdown();
        await floorRunning;
      },
    });

    // The load generator.
    const loadGen = new Load();
    await loadGen.start();
    cleanups.unshift({ what: "stop the load generator", run: () => loadGen.stop() });

    // The stacks: a database, a joeflow worker, the demo's web app.
    const stacks = new Map<DbKind, Stack>();
    for (const kind of new Set<DbKind>([...POST_DBS, ...(INSTANCES > 0 ? ["postgres" as const] : [])])) {
      let db = pgDb;
      if (kind === "pglite") {
        const dir = mkdtempSync(join(tmpdir(), "joeflow-bench-web-pglite-"));
        const pglite = new PGlite(join(dir, "pglite"));
        db = new Kysely<JoeflowDatabase>({ dialect: new PGliteDialect({ pglite }), log: kyselyLog });
        cleanups.unshift({
          what: "close PGlite",
          run: async () => {
            await db.destroy();
            rmSync(dir, { recursive: true, force: true });
          },
        });
        await migrateToLatest(db);
      }
      const taskQueue = `bench-web-${kind}`;
      const worker = await createWorker({
        connection: env.nativeConnection, db, workflows: [welcome, shipping], taskQueue,
        temporal: { interceptors: { activity: [timing] } },
      });
      const running = worker.run();
      cleanups.unshift({
        what: `shut the ${kind} worker down`,
        run: async () => {
          worker.shutdown();
          await running;
        },
      });
      const joeflow = timedJoeflow(createJoeflow({ db, temporal: client, workflows: [welcome, shipping], taskQueue }));
      const signInKit = demoAuth();
      // The demo's auth, with `user` (a signed-cookie check) timed as the span "auth.user".
      const auth: Auth = { ...signInKit.auth, user: (c) => span("auth.user", async () => await signInKit.auth.user(c)) };
      const app = createWebApp({
        joeflow,
        workflows: [welcome, shipping],
        auth,
        signInUrl: signInKit.signInUrl,
        signOutUrl: signInKit.signOutUrl,
        extend: (a) => signInKit.routes(a, createTemplates(), createUrls()),
      });
      const served = await serveNode(timedApp(app), { port: 0, hostname: "127.0.0.1" });
      cleanups.unshift({ what: `close the ${kind} web server`, run: () => served.close() });
      const { headers, csrf } = await signIn(served.url);
      stacks.set(kind, { kind, label: kind === "pglite" ? "PGlite, the demo's database" : "PostgreSQL", db, joeflow, served, headers, csrf });
      console.log(`${kind}: worker on ${taskQueue}, web app at ${served.url}, signed in as warehouse`);
    }

    // Floors: 1 user, then saturating; their workflows stay for the paced runs.
    const floors: Floor[] = [];
    for (const kind of ["floor-bare", "floor-activity", "floor-db", "floor-local-db"] as const) {
      console.log(`\n${FLOOR_NAMES[kind][1]} (${FLOOR_NAMES[kind][0]} in bench/web-floor-workflow.ts)`);
      const floor = await floorSetup(env.client, kind, pgDb);
      floors.push(floor);
      cleanups.unshift({ what: `stop the ${kind} workflows`, run: () => floorStop(floor) });
      phases.push(await floorRun(env.client, floor, "solo"));
      phases.push(await floorRun(env.client, floor, "saturated"));
    }
    const floorDb = phases.find((p) => p.kind === "floor-db" && p.mode === "saturated");

    // Form POSTs: 1 user, then saturating.
    for (const kind of POST_DBS) {
      const stack = stacks.get(kind)!;
      console.log(`\nPOST /shipping/ship/{taskId}/ on ${stack.label}`);
      phases.push(...await postSaturated(stack, env.client, loadGen, floorDb && okRate(floorDb)));
    }

    // Paced: every floor and every POST at one rate, half what the slowest POST managed saturating (at most
    // one request per user per second), so they compare at the same offered load.
    const postRates = phases.filter((p) => p.kind === "post" && p.mode === "saturated").map(okRate);
    const rate = RATE ?? Math.max(1, Math.min(CONCURRENCY, Math.floor(Math.min(...postRates, 2 * CONCURRENCY) / 2)));
    console.log(`\npaced runs: ${rate} requests/s offered by ${CONCURRENCY} users`);
    for (const floor of floors) phases.push(await floorRun(env.client, floor, "paced", rate));
    for (const kind of POST_DBS) phases.push(await postPaced(stacks.get(kind)!, env.client, loadGen, rate));
    for (const floor of floors) await floorStop(floor);

    // The index.
    if (INSTANCES > 0) {
      console.log(`\nindex with ${INSTANCES} instances in PostgreSQL`);
      phases.push(...await indexPhases(stacks.get("postgres")!, loadGen, pgPool));
    }

    summary(phases);
  } catch (error) {
    code = 1;
    console.error("\nbench failed:", error);
    if (phases.length) summary(phases);
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
