/**
 * The load generator of bench/web.ts, run as a child process (`fork` with `--import tsx`, by
 * bench/web/load.ts) so the simulated users do not share the event loop of the server they measure.
 * Each job: `concurrency` users, each taking the next request of the list (or cycling through it)
 * and sending it with Node's fetch (undici, keep-alive), never following a redirect and never
 * retrying; until the list is used up, `maxRequests` were sent, or `durationMs` passed. Latency is
 * call -> whole response read.
 *
 * Without `ratePerSec` the users are a closed loop (each sends its next request when the previous one
 * answered, as autocannon does); with it, request i is due at i / rate seconds (an open loop, paced) and
 * its latency is still measured from when it was sent.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

export interface LoadRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly body?: string;
}

export interface LoadJob {
  readonly id: number;
  readonly base: string;
  readonly headers: Record<string, string>;
  readonly requests: readonly LoadRequest[];
  readonly concurrency: number;
  readonly durationMs: number;
  readonly maxRequests: number;
  /** Cycle through `requests` (GETs) rather than sending each once (POSTs of one-time task ids). */
  readonly cycle: boolean;
  readonly ratePerSec?: number;
  /** Give a request up after this long (it then counts as an error). */
  readonly timeoutMs?: number;
}

export interface LoadResult {
  /** Index into the job's requests. */
  readonly i: number;
  /** ms since the job began. */
  readonly at: number;
  readonly ms: number;
  readonly status: number;
  readonly location: string | null;
  readonly bytes: number;
  /** Paced jobs: how late it was sent (ms), when no user was free. */
  readonly late?: number;
  readonly error?: string;
}

export interface LoadReply {
  readonly id: number;
  readonly wallMs: number;
  readonly results: readonly LoadResult[];
  readonly cpuMs: number;
}

async function run(job: LoadJob): Promise<LoadReply> {
  const results: LoadResult[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const deadline = t0 + job.durationMs;
  let next = 0;
  const limit = job.cycle ? job.maxRequests : Math.min(job.maxRequests, job.requests.length);
  async function user(): Promise<void> {
    while (next < limit && performance.now() < deadline) {
      const i = next++;
      let late: number | undefined;
      if (job.ratePerSec) {
        const due = t0 + (i * 1000) / job.ratePerSec;
        if (due >= deadline) return;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        late = Math.max(0, performance.now() - due);
      }
      const request = job.requests[job.cycle ? i % job.requests.length : i]!;
      const start = performance.now();
      const index = job.cycle ? i % job.requests.length : i;
      try {
        const response = await fetch(job.base + request.path, {
          method: request.method,
          headers: request.body === undefined ? job.headers : { ...job.headers, "content-type": "application/x-www-form-urlencoded" },
          body: request.body,
          redirect: "manual",
          signal: job.timeoutMs ? AbortSignal.timeout(job.timeoutMs) : undefined,
        });
        const body = await response.arrayBuffer();
        results.push({
          i: index, at: start - t0, ms: performance.now() - start, status: response.status,
          location: response.headers.get("location"), bytes: body.byteLength, late,
        });
      } catch (error) {
        results.push({ i: index, at: start - t0, ms: performance.now() - start, status: 0, location: null, bytes: 0, late, error: String(error) });
      }
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, user));
  const cpu = process.cpuUsage(cpu0);
  return { id: job.id, wallMs: performance.now() - t0, results, cpuMs: (cpu.user + cpu.system) / 1000 };
}

if (process.send) {
  process.on("message", (job: LoadJob) => {
    run(job).then((reply) => process.send!(reply), (error) => process.send!({ id: job.id, error: String(error) }));
  });
  process.on("disconnect", () => process.exit(0));
  process.send({ ready: true });
}
