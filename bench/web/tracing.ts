/**
 * What one web request or one activity spent, through AsyncLocalStorage: its SQL (Kysely's log), and
 * named spans (the joeflow client calls, Temporal's `executeUpdate`, the sign-in check).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { performance } from "node:perf_hooks";
import type { Client } from "@temporalio/client";
import type { ActivityInterceptorsFactory } from "@temporalio/worker";
import type { Hono } from "hono";
import type { Joeflow } from "joeflow";

export interface Trace {
  sqlMs: number;
  sqlCount: number;
  spans: Record<string, number>;
  /** The statements themselves, when wanted (the index's EXPLAIN). */
  queries?: { sql: string; parameters: readonly unknown[] }[];
}
const als = new AsyncLocalStorage<Trace>();
export const newTrace = (): Trace => ({ sqlMs: 0, sqlCount: 0, spans: {} });

/** Runs `fn` with `trace` as the current trace. */
export function traced<T>(trace: Trace, fn: () => T): T {
  return als.run(trace, fn);
}

/** Runs `fn`, adding its time to the span `name` of the current trace. */
export async function span<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const trace = als.getStore();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    if (trace) trace.spans[name] = (trace.spans[name] ?? 0) + performance.now() - t0;
  }
}

/** Kysely's `log`: counts each statement in the current trace. */
export function kyselyLog(event: { queryDurationMillis: number; query: { sql: string; parameters: readonly unknown[] } }): void {
  const trace = als.getStore();
  if (!trace) return;
  trace.sqlMs += event.queryDurationMillis;
  trace.sqlCount++;
  trace.queries?.push({ sql: event.query.sql, parameters: event.query.parameters });
}

/** Activities as the worker saw them: type, Temporal workflow id, time, and the SQL they ran. */
export interface ActivityRecord { type: string; temporalId: string; ms: number; sqlMs: number; sqlCount: number }
/** Web requests as the app saw them (the wrapped `app.fetch`). */
export interface RequestRecord { method: string; path: string; search: string; status: number; ms: number; trace: Trace }

/** What ran since the phase reset them. */
export const logs = { activities: [] as ActivityRecord[], requests: [] as RequestRecord[] };

/** The activity interceptor of every worker of the bench. */
export const timing: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const trace = newTrace();
      const t0 = performance.now();
      try {
        return await als.run(trace, () => next(input));
      } finally {
        logs.activities.push({
          type: ctx.info.activityType, temporalId: ctx.info.workflowExecution?.workflowId ?? "", ms: performance.now() - t0,
          sqlMs: trace.sqlMs, sqlCount: trace.sqlCount,
        });
      }
    },
  },
});

/** The app with each request timed and traced. */
export function timedApp(app: Hono): Hono {
  const wrapped = {
    fetch: async (request: Request, ...rest: unknown[]) => {
      const trace = newTrace();
      const t0 = performance.now();
      const url = new URL(request.url);
      const response = await als.run(trace, () => (app.fetch as (r: Request, ...x: unknown[]) => Promise<Response>)(request, ...rest));
      logs.requests.push({ method: request.method, path: url.pathname, search: url.search, status: response.status, ms: performance.now() - t0, trace });
      return response;
    },
  };
  return wrapped as unknown as Hono;
}

/** The joeflow client with each call timed as a span of the current trace. */
export function timedJoeflow(joeflow: Joeflow): Joeflow {
  return new Proxy(joeflow, {
    get(target, p) {
      const value = Reflect.get(target, p);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => span(`joeflow.${String(p)}`, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

/** The Temporal client with `executeUpdate` timed as the span "update". */
export function timedClient(client: Client): Client {
  const workflow = new Proxy(client.workflow, {
    get(target, p) {
      const value = Reflect.get(target, p);
      if (p === "getHandle") {
        return (...args: Parameters<typeof target.getHandle>) => timedHandle(target.getHandle(...args));
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

function timedHandle<H extends object>(handle: H): H {
  return new Proxy(handle, {
    get(h, q) {
      const v = Reflect.get(h, q);
      if (q === "executeUpdate") {
        return (...a: unknown[]) => span("update", () => (v as (...x: unknown[]) => Promise<unknown>).apply(h, a));
      }
      return typeof v === "function" ? v.bind(h) : v;
    },
  });
}
