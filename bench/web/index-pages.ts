/**
 * The index: `--instances` instances written straight into the tables (index-data.ts), then GET `/`,
 * `/?name=shipping&status=running`, the second page of each via its "Older instances" cursor, and a page
 * in the middle, `--index-seconds` each (and `/` paced); then EXPLAIN ANALYZE of the list queries.
 */
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { shipping } from "../../examples/shipping.ts";
import { welcome } from "../../examples/welcome.ts";
import { dist, mean, ms, num } from "../support/stats.ts";
import { seedInstances } from "./index-data.ts";
import type { Load } from "./load.ts";
import { checkDeadline, options } from "./options.ts";
import { measured, okRate, pacedRate, type Phase, phaseOf } from "./phase.ts";
import { startProfile } from "./profiler.ts";
import { printPhase } from "./report.ts";
import type { Stack } from "./stacks.ts";
import { logs, newTrace, type Trace, traced } from "./tracing.ts";

/** Each page measured: what it is, and its path (undefined: the list has no such page). */
type Page = [what: string, path: string | undefined];

function nextLink(html: string): string | undefined {
  const m = /<a href="([^"]+)" rel="next">/.exec(html);
  return m?.[1]?.replaceAll("&amp;", "&").replaceAll("&#39;", "'").replaceAll("&quot;", '"');
}

export async function indexPhases(stack: Stack, load: Load, pgPool: pg.Pool): Promise<Phase[]> {
  const t0 = performance.now();
  const pages = await preparePages(stack, pgPool);
  console.log(`  prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s; pages: ${pages.map(([, u]) => u ?? "(none)").join("  ")}`);
  const phases: Phase[] = [];
  for (const [what, path] of pages) {
    if (!path) {
      console.log(`  ${what}: no such page (no "Older instances" link)`);
      continue;
    }
    await load.run({
      base: stack.served.url, headers: stack.headers, requests: [{ method: "GET", path }], concurrency: options.concurrency,
      durationMs: 30_000, maxRequests: options.warmup, cycle: true,
    });
    const saturated = await indexPhase(stack, load, what, path);
    phases.push(saturated);
    if (path === "/") phases.push(await indexPhase(stack, load, what, path, pacedRate(okRate(saturated))));
  }
  await explainPages(stack, pgPool, pages);
  return phases;
}

/** Seeds the instances and finds the pages' paths (the cursors as the list makes them). */
async function preparePages(stack: Stack, pgPool: pg.Pool): Promise<Page[]> {
  const seeded = await seedInstances(pgPool, options.instances, { shipping: shipping.graph, welcome: welcome.graph });
  const total = await stack.db.selectFrom("joeflow_workflow").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  console.log(`  wrote ${options.instances} instances in ${(seeded.ms / 1000).toFixed(1)} s (${Object.entries(seeded.counts).map(([k, v]) => `${k} ${v}`).join(", ")}); ` +
    `${total.n} instances in the table in all; ANALYZE done`);
  const get = async (path: string) => {
    const response = await fetch(stack.served.url + path, { headers: stack.headers });
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
  return [
    ["GET / (newest 25)", "/"],
    ["GET /?name=shipping&status=running", filtered],
    ["GET / page 2 (cursor)", second],
    ["GET filtered page 2 (cursor)", filteredSecond],
    ["GET / middle page (cursor)", middlePath],
  ];
}

/** One page for --index-seconds, saturating or at `ratePerSec`. */
async function indexPhase(stack: Stack, load: Load, what: string, path: string, ratePerSec?: number): Promise<Phase> {
  checkDeadline("index");
  logs.requests = [];
  const profiler = options.profile && path === "/" && !ratePerSec ? await startProfile() : undefined;
  const m = await measured(async () => {
    const reply = await load.run({
      base: stack.served.url, headers: stack.headers, requests: [{ method: "GET", path }], concurrency: options.concurrency,
      durationMs: options.indexSeconds * 1000, maxRequests: 1_000_000, cycle: true, ratePerSec, timeoutMs: options.requestTimeoutS * 1000,
    });
    return { ...reply, n: reply.results.length, loadCpu: reply.cpuMs };
  });
  const profileLines = profiler ? await profiler.stop() : [];
  const results = m.result.results;
  const ok = results.filter((r) => r.status === 200);
  const bad = results.filter((r) => r.status !== 200);
  const server = logs.requests.filter((r) => r.method === "GET");
  const spanMean = (name: string) => ms(mean(server.map((r) => r.trace.spans[name] ?? 0)));
  const notes = [
    ...profileLines,
    `response ${Math.round(mean(results.map((r) => r.bytes)))} bytes; in the handler: ${dist(server.map((r) => r.ms))}`,
    `  of which auth.user (2 signed-cookie checks) ${spanMean("auth.user")} mean, ` +
    `joeflow.list ${spanMean("joeflow.list")} mean, its SQL ${ms(mean(server.map((r) => r.trace.sqlMs)))} ` +
    `(${num(mean(server.map((r) => r.trace.sqlCount)))} statements); outside the handler ${ms(mean(results.map((r) => r.ms)) - mean(server.map((r) => r.ms)))} mean`,
  ];
  const phase = phaseOf(m, {
    what, mode: ratePerSec ? "paced" : "saturated", users: options.concurrency, rate: ratePerSec, kind: "index", db: stack.kind,
    lat: ok.map((r) => r.ms), done: ok.map((r) => r.at + r.ms), windowMs: options.indexSeconds * 1000, n: results.length,
    errors: bad.length, errorSample: bad[0] && JSON.stringify(bad[0]), wallMs: m.result.wallMs, notes,
  });
  printPhase(phase);
  return phase;
}

/** The list queries the pages ran, with their plans. */
async function explainPages(stack: Stack, pgPool: pg.Pool, pages: Page[]): Promise<void> {
  console.log(`\n  EXPLAIN (ANALYZE, BUFFERS) of the queries behind the index pages:`);
  for (const [what, path] of pages) {
    if (!path) continue;
    const trace: Trace = { ...newTrace(), queries: [] };
    const params = new URL(path, stack.served.url).searchParams;
    await traced(trace, () => stack.joeflow.list({
      name: params.get("name") ?? undefined, status: (params.get("status") ?? undefined) as "running" | undefined,
      cursor: params.get("cursor") ?? undefined, limit: 25,
    }));
    for (const q of trace.queries!) {
      const plan = await pgPool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.parameters as unknown[]);
      console.log(`  -- ${what}: ${q.sql}  ${JSON.stringify(q.parameters)}`);
      for (const row of plan.rows) console.log(`     ${row["QUERY PLAN"]}`);
    }
  }
}
