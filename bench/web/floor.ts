/**
 * The floor: bare Temporal update round trips on the same dev server (floor-workflow.ts), to set the
 * form POSTs beside. One workflow per simulated user; each user sends its updates one after another
 * (or paced).
 */
import { performance } from "node:perf_hooks";
import type { Client, WorkflowHandle } from "@temporalio/client";
import { type NativeConnection, Worker } from "@temporalio/worker";
import { type Kysely, sql } from "kysely";
import type { JoeflowDatabase } from "../../src/store/schema.ts";
import type { Cleanups } from "../support/lifecycle.ts";
import { dist, mean, ms, num } from "../support/stats.ts";
import { bundleWorkflows } from "../support/temporal.ts";
import { floorUpdate, readyQuery, stopSignal } from "./floor-workflow.ts";
import { historySteps } from "./history.ts";
import { checkDeadline, options, TAG } from "./options.ts";
import { measured, type Mode, type Phase, phaseOf, settle } from "./phase.ts";
import { printPhase } from "./report.ts";
import { logs, timing } from "./tracing.ts";

const FLOOR_QUEUE = "bench-web-floor";

/** Each kind's workflow type (in floor-workflow.ts) and what the bench calls it. */
export const FLOOR_NAMES = {
  "floor-bare": ["floorBare", "floor: bare update"],
  "floor-activity": ["floorActivity", "floor: update + activity"],
  "floor-db": ["floorDbWorkflow", "floor: update + activity + PG tx"],
  "floor-local-db": ["floorLocalDbWorkflow", "floor: update + local activity + PG tx"],
} as const;
export type FloorKind = keyof typeof FLOOR_NAMES;
export const FLOOR_KINDS = Object.keys(FLOOR_NAMES) as FloorKind[];

/** The floor's worker, whose PG activity runs a small transaction on the bench's tables bench_floor and bench_floor_log. */
export async function startFloorWorker(connection: NativeConnection, db: Kysely<JoeflowDatabase>, cleanups: Cleanups): Promise<void> {
  await sql`CREATE TABLE bench_floor (key text PRIMARY KEY, n integer NOT NULL, value text)`.execute(db);
  await sql`CREATE TABLE bench_floor_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key text NOT NULL, value text, at timestamptz NOT NULL)`.execute(db);
  const worker = await Worker.create({
    connection,
    taskQueue: FLOOR_QUEUE,
    workflowBundle: await bundleWorkflows(new URL("./floor-workflow.ts", import.meta.url)),
    activities: {
      floorEcho: async (value: string) => value,
      floorDb: async ({ key, value }: { key: string; value: string }) =>
        await db.transaction().execute(async (tx) => {
          await sql`SELECT n FROM bench_floor WHERE key = ${key} FOR UPDATE`.execute(tx);
          await sql`UPDATE bench_floor SET n = n + 1, value = ${value} WHERE key = ${key}`.execute(tx);
          await sql`INSERT INTO bench_floor_log (key, value, at) VALUES (${key}, ${value}, now())`.execute(tx);
          return value;
        }),
    },
    interceptors: { activity: [timing] },
  });
  const running = worker.run();
  cleanups.add("shut the floor worker down", async () => {
    worker.shutdown();
    await running;
  });
}

interface Driven { n: number; wallMs: number; lat: number[]; done: number[]; errors: string[]; from: number; to: number }

/** Each handle is a user sending its updates one after another (or paced), until `count` were sent or the time is up. */
async function drive(handles: readonly WorkflowHandle[], limits: { count: number; durationMs: number; ratePerSec?: number }): Promise<Driven> {
  const lat: number[] = [];
  const done: number[] = [];
  const errors: string[] = [];
  const start = performance.now();
  const from = Date.now();
  const end = start + limits.durationMs;
  let next = 0;
  await Promise.all(handles.map(async (handle) => {
    while (next < limits.count && performance.now() < end) {
      const i = next++;
      if (limits.ratePerSec) {
        const due = start + (i * 1000) / limits.ratePerSec;
        if (due >= end) return;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      }
      const value = `v${i}-${Math.random()}`;
      const s = performance.now();
      try {
        await oneUpdate(handle, value);
        lat.push(performance.now() - s);
        done.push(performance.now() - start);
      } catch (error) {
        errors.push(String(error));
      }
    }
  }));
  return { n: lat.length + errors.length, wallMs: performance.now() - start, lat, done, errors, from, to: Date.now() };
}

/** One update, which must echo its value, given up after --request-timeout. */
async function oneUpdate(handle: WorkflowHandle, value: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const answer = await Promise.race([
    handle.executeUpdate(floorUpdate, { args: [value] }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${options.requestTimeoutS} s`)), options.requestTimeoutS * 1000);
    }),
  ]).finally(() => clearTimeout(timer));
  if (answer !== value) throw new Error(`the update answered ${answer}`);
}

export interface Floor {
  kind: FloorKind;
  ids: string[];
  handles: WorkflowHandle[];
}

/** Starts one floor workflow per user and warms them up. */
export async function floorSetup(client: Client, kind: FloorKind, db: Kysely<JoeflowDatabase>): Promise<Floor> {
  const [type] = FLOOR_NAMES[kind];
  const ids = Array.from({ length: options.concurrency }, (_, u) => `floor-${kind}-${TAG}-${u}`);
  const withDb = kind === "floor-db" || kind === "floor-local-db";
  if (withDb) await sql`INSERT INTO bench_floor (key, n) SELECT unnest(${ids}::text[]), 0`.execute(db);
  const handles = await Promise.all(ids.map((id) =>
    client.workflow.start(type, { taskQueue: FLOOR_QUEUE, workflowId: id, args: withDb ? [id] : [] })
  ));
  await Promise.all(handles.map((h) => h.query(readyQuery)));
  await drive(handles, { count: options.warmup, durationMs: 120_000 });
  await settle();
  return { kind, ids, handles };
}

/** A measured phase of this floor's updates: 1 user, all users saturating, or all users at `ratePerSec`. */
export async function floorRun(client: Client, floor: Floor, mode: Mode, ratePerSec?: number): Promise<Phase> {
  const what = FLOOR_NAMES[floor.kind][1];
  checkDeadline(what);
  const users = mode === "solo" ? floor.handles.slice(0, 1) : floor.handles;
  const durationMs = options.seconds * 1000;
  const limits = mode === "solo" ? { count: options.solo, durationMs }
    : mode === "saturated" ? { count: options.max, durationMs }
    : { count: 1_000_000, durationMs, ratePerSec };
  logs.activities = [];
  const m = await measured(() => drive(users, limits));
  const r = m.result;
  const notes: string[] = [];
  const acts = logs.activities.filter((a) => a.type.startsWith("floor"));
  if (acts.length) {
    notes.push(`activity in the worker: ${dist(acts.map((a) => a.ms))}; SQL statements ${num(mean(acts.map((a) => a.sqlCount)))} ` +
      `taking ${ms(mean(acts.map((a) => a.sqlMs)))}`);
  }
  notes.push(await historySteps(client, floor.ids.slice(0, 5), r.from, r.to));
  const phase = phaseOf(m, {
    what, mode, users: users.length, rate: ratePerSec, kind: floor.kind, lat: r.lat, done: r.done, windowMs: limits.durationMs,
    n: r.n, errors: r.errors.length, errorSample: r.errors[0], wallMs: r.wallMs, notes,
  });
  printPhase(phase);
  await settle();
  return phase;
}

export async function floorStop(floor: Floor): Promise<void> {
  await Promise.all(floor.handles.map((h) => h.signal(stopSignal).catch(() => {})));
}
