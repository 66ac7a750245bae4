/**
 * The form POSTs: POST /shipping/ship/{taskId}/ (trackingCode), one shipping order pre-created per request
 * (its `ship` task open), sent by the load generator. Every answer must be 303 to /shipping/{id}/, checked
 * again in the tables after; then the instances must finish (hasEmail, end).
 */
import { performance } from "node:perf_hooks";
import type { Client } from "@temporalio/client";
import { temporalWorkflowId } from "../../src/interpreter/protocol.ts";
import { shipping } from "../../examples/shipping.ts";
import { mean, ms, percentile } from "../support/stats.ts";
import { historySteps } from "./history.ts";
import { describeStuck, notDone, waitDone, waitIdle } from "./instances.ts";
import type { Load } from "./load.ts";
import type { LoadRequest } from "./load-generator.ts";
import { checkDeadline, options, TAG } from "./options.ts";
import { measured, type Mode, type Phase, phaseOf, runConcurrently, settle } from "./phase.ts";
import { type Order, postProfile } from "./post-profile.ts";
import { startProfile } from "./profiler.ts";
import { printPhase } from "./report.ts";
import type { Stack } from "./stacks.ts";
import { logs } from "./tracing.ts";

/** Starts `count` shipping orders up to their open `ship` task. */
async function prepareOrders(stack: Stack, count: number): Promise<{ orders: Order[]; ms: number }> {
  const t0 = performance.now();
  const ids = await runConcurrently(count, options.concurrency, async (i) => {
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

/** Samples how many callers wait for a PostgreSQL connection, every 20 ms until stop(). */
function samplePoolWaiting(stack: Stack): { stop: () => { max: number; mean: number } | undefined } {
  const pgPool = stack.pool;
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

interface PostOptions { users: number; durationMs: number; ratePerSec?: number; prepared: string; profile?: boolean }

/** Sends these orders' ship forms; checks every answer and the tables; waits for the instances to finish. */
async function postRun(
  stack: Stack, client: Client, load: Load, orders: readonly Order[], mode: Mode | "warm-up", post: PostOptions,
): Promise<Phase | undefined> {
  logs.requests = [];
  logs.activities = [];
  const waits = samplePoolWaiting(stack);
  const profiler = post.profile ? await startProfile() : undefined;
  const m = await measured(async () => {
    const reply = await load.run({
      base: stack.served.url, headers: stack.headers, requests: postRequests(stack, orders), concurrency: post.users,
      durationMs: post.durationMs, maxRequests: orders.length, cycle: false, ratePerSec: post.ratePerSec,
      timeoutMs: options.requestTimeoutS * 1000,
    });
    return { ...reply, n: reply.results.length, loadCpu: reply.cpuMs };
  });
  const poolWaits = waits.stop();
  const profileLines = profiler ? await profiler.stop() : [];
  const results = m.result.results;
  const bad = results.filter((r) => r.status !== 303 || r.location !== `/shipping/${orders[r.i]!.workflowId}/`);
  const good = results.filter((r) => !bad.includes(r));
  const profile = postProfile(results, orders, poolWaits);
  const outcome = await checkPosted(stack, good.map((r) => orders[r.i]!));
  if (mode === "warm-up") {
    // A wrong answer is the benchmark's mistake (cookie, token, URL); a timeout is the machine's.
    const wrong = bad.filter((r) => r.status !== 0);
    if (wrong.length || !outcome.checked) throw new Error(`warm-up POSTs failed: ${wrong.length} wrong answers, e.g. ${JSON.stringify(wrong[0])}`);
    if (bad.length) console.log(`  warm-up: ${bad.length} POSTs got no answer in ${options.requestTimeoutS} s (${bad[0]!.error})`);
    return undefined;
  }
  const notes = [post.prepared, ...outcome.notes];
  if (!outcome.drained || bad.length) notes.push(...await stuckNotes(stack, client, bad.map((r) => orders[r.i]!), outcome));
  const late = results.map((r) => r.late ?? 0);
  if (post.ratePerSec) notes.push(`sent late (no user free) by: p50 ${ms(percentile(late, 50))}, p99 ${ms(percentile(late, 99))}`);
  notes.push(...profile, ...profileLines);
  notes.push(await historySteps(client, outcome.posted.slice(0, 20).map((o) => temporalWorkflowId("shipping", o.workflowId))));
  const phase = phaseOf(m, {
    what: `POST ship form (${stack.kind === "pglite" ? "PGlite" : "PostgreSQL"})`, mode, users: post.users, rate: post.ratePerSec,
    kind: "post", db: stack.kind, lat: good.map((r) => r.ms), done: good.map((r) => r.at + r.ms), windowMs: post.durationMs,
    n: results.length, errors: bad.length, errorSample: bad[0] && JSON.stringify(bad[0]), wallMs: m.result.wallMs, notes,
  });
  printPhase(phase);
  await settle();
  return phase;
}

interface Checked { posted: Order[]; checked: boolean; drained: boolean; notes: string[] }

/** The posted tasks must be succeeded by "warehouse" in the tables, and their instances finish within 60 s. */
async function checkPosted(stack: Stack, posted: Order[]): Promise<Checked> {
  const drainT = performance.now();
  const drained = await waitDone(stack.db, posted.map((o) => o.workflowId));
  const drainMs = performance.now() - drainT;
  const check = await stack.db.selectFrom("joeflow_task").select((eb) => eb.fn.countAll<string>().as("n"))
    .where("id", "in", posted.length ? posted.map((o) => o.taskId) : ["-"]).where("status", "=", "succeeded")
    .where("completed_by_user", "=", "warehouse").executeTakeFirstOrThrow();
  const checked = Number(check.n) === posted.length;
  const notes = [
    checked
      ? `checked: ${posted.length} answers 303 to /shipping/{id}/; ${posted.length} ship tasks succeeded, completed by "warehouse"`
      : `CHECK FAILED: ${posted.length} POSTs answered 303 but ${check.n} ship tasks are succeeded by warehouse`,
    `the posted instances then finished their machine tasks (hasEmail, end) within ${(drainMs / 1000).toFixed(1)} s after the phase` +
    (drained ? "" : " -- NOT ALL DONE within 60 s"),
  ];
  return { posted, checked, drained, notes };
}

/** What up to 3 of the instances that got a wrong answer or did not finish wait for. */
async function stuckNotes(stack: Stack, client: Client, badOrders: Order[], outcome: Checked): Promise<string[]> {
  const stuck = badOrders.map((o) => o.workflowId);
  if (!outcome.drained) stuck.push(...await notDone(stack.db, outcome.posted.map((o) => o.workflowId)));
  return await describeStuck(client, stuck.slice(0, 3).map((id) => temporalWorkflowId("shipping", id)));
}

/** The 1-user and the saturating runs of a stack's POSTs (with their warm-up). */
export async function postSaturated(stack: Stack, client: Client, load: Load, floorDbRate: number | undefined): Promise<Phase[]> {
  const { warmup, solo, max, seconds, concurrency } = options;
  // Enough orders for the saturating run: a POST does all a floor-db update does and more (it measured
  // at 4 to 7 times the CPU), so half what that floor managed leaves room; a run that uses them all up
  // just ends early (and says so).
  const saturatedCount = Math.min(max, floorDbRate ? Math.ceil(floorDbRate * seconds * 0.5) + 40 : max);
  const first = await prepareOrders(stack, warmup + solo + saturatedCount);
  const prepared = `prepared ${first.orders.length} orders (warm-up ${warmup}, 1 user ${solo}, saturating ${saturatedCount}; ` +
    `joeflow.start, ${concurrency} at a time) in ${(first.ms / 1000).toFixed(1)} s`;
  console.log(`  ${prepared}`);
  const rest = first.orders.slice(warmup + solo);
  await postRun(stack, client, load, first.orders.slice(0, warmup), "warm-up", { users: concurrency, durationMs: 120_000, prepared });
  await settle();
  const phases: Phase[] = [];
  const durationMs = seconds * 1000;
  phases.push((await postRun(stack, client, load, first.orders.slice(warmup, warmup + solo), "solo", { users: 1, durationMs, prepared }))!);
  const saturated = (await postRun(stack, client, load, rest, "saturated", {
    users: concurrency, durationMs, prepared, profile: options.profile && stack.kind === "postgres",
  }))!;
  phases.push(saturated);
  if (saturated.n >= rest.length) {
    console.log(`  (the saturating run used up its ${rest.length} orders before ${seconds} s: it ran ${(saturated.wallMs / 1000).toFixed(1)} s)`);
  }
  return phases;
}

/** A stack's POSTs at `rate` per second. */
export async function postPaced(stack: Stack, client: Client, load: Load, rate: number): Promise<Phase> {
  checkDeadline("POST");
  const orders = await prepareOrders(stack, Math.ceil(rate * options.seconds) + 5);
  return (await postRun(stack, client, load, orders.orders, "paced", {
    users: options.concurrency, durationMs: options.seconds * 1000, ratePerSec: rate,
    prepared: `prepared ${orders.orders.length} orders in ${(orders.ms / 1000).toFixed(1)} s`,
  }))!;
}
