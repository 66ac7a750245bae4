/**
 * Where a POST's time goes: the client's latency (load generator) split by what the server recorded
 * for the same request (handler, its SQL, the update, the completeHuman activity). Means add up, so
 * the split is by means; p50s and p99s beside them.
 */
import { temporalWorkflowId } from "../../src/interpreter/protocol.ts";
import { dist, mean, ms, num, percentile, sum } from "../support/stats.ts";
import type { LoadResult } from "./load-generator.ts";
import { options } from "./options.ts";
import { type ActivityRecord, logs } from "./tracing.ts";

export interface Order { workflowId: string; taskId: string }

interface Row {
  client: number;
  handler: number;
  sql: number;
  sqlCount: number;
  getTask: number;
  get: number;
  complete: number;
  update: number;
  auth: number;
  activity?: ActivityRecord;
}

/** The answered POSTs with the server's records of them. */
function rowsOf(results: readonly LoadResult[], orders: readonly Order[]): Row[] {
  const byPath = new Map(logs.requests.filter((r) => r.method === "POST").map((r) => [r.path, r]));
  const activities = new Map(logs.activities.filter((a) => a.type === "completeHuman").map((a) => [a.temporalId, a]));
  const rows: Row[] = [];
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
  return rows;
}

/** The lines to print; `waits`: the pg pool's waiting callers, sampled during the phase. */
export function postProfile(results: readonly LoadResult[], orders: readonly Order[], waits?: { max: number; mean: number }): string[] {
  const rows = rowsOf(results, orders);
  if (rows.length === 0) return ["(no server-side records)"];
  const col = (f: (r: Row) => number) => rows.map(f);
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
  out.push(...machineTaskLines(rows));
  if (waits) out.push(`  pg pool (max ${options.pool}) callers waiting for a connection, sampled every 20 ms: mean ${num(waits.mean)}, max ${waits.max}`);
  return out;
}

/** The machine tasks the posted instances ran meanwhile, and the SQL statements per POST in all. */
function machineTaskLines(rows: Row[]): string[] {
  const machine = logs.activities.filter((a) => a.type === "runTask");
  if (!machine.length) return [];
  const activitySql = sum(logs.activities.filter((a) => a.type === "completeHuman" || a.type === "runTask").map((a) => a.sqlCount));
  return [
    `  machine tasks meanwhile (runTask: hasEmail, end): ${machine.length}, ${dist(machine.map((a) => a.ms))}; ` +
    `${num(mean(machine.map((a) => a.sqlCount)))} SQL statements each`,
    `  SQL statements per POST in all (web + completeHuman + machine tasks, over the phase): ` +
    `${num((sum(rows.map((r) => r.sqlCount)) + activitySql) / rows.length)}`,
  ];
}
