/**
 * The simulated users of bench/web.ts: autocannon, in a child process (this file, forked) so that
 * they do not share the event loop of the server they measure. Never following a redirect, never
 * retrying; latency is request sent -> whole response read.
 */
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Cleanups } from "../support/run.ts";

export interface LoadJob {
  url: string;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  connections: number;
  /** A closed loop for `seconds`, or until `amount` requests were sent; `rate`: requests per second in all. */
  seconds?: number;
  amount?: number;
  rate?: number;
  /** The status every answer must have. */
  status: number;
  /** GETs of these paths in turn (not `path`): a mix of pages, as many users send. */
  gets?: string[];
  /** POSTs of one-time task ids, each sent once, in order (not `path`); each answer must redirect to `location`. */
  posts?: { path: string; body: string; location: string }[];
  /**
   * With `rate` and `gets`: one request every 1/rate s, whether the earlier ones answered or not (people
   * who do not wait for each other), latency from the time it was due. autocannon's own pacing sends
   * each connection's requests of a second at once, so `connections` users would arrive together.
   */
  evenly?: boolean;
}
export type LoadResult = {
  lat: number[];
  wrong: number;
  firstWrong?: string;
  errors: number;
  wallMs: number;
  cpuMs: number;
};
export type Load = (job: LoadJob) => Promise<LoadResult>;

const CHILD = "--bench-web-load";

/** Starts the child (stopped by the cleanups); returns the function that runs a job in it. */
export async function startLoad(cleanups: Cleanups): Promise<Load> {
  const child = fork(fileURLToPath(import.meta.url), [CHILD], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  cleanups.add("stop the load generator", () => child.kill());
  await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`the load generator exited with ${code}`)));
  });
  return (job) =>
    new Promise((resolve, reject) => {
      child.once("message", (reply: LoadResult | { error: string }) =>
        "error" in reply ? reject(new Error(reply.error)) : resolve(reply),
      );
      child.send(job);
    });
}

type Context = { location?: string };
type Autocannon = (options: Record<string, unknown>) => PromiseLike<{ errors: number }> & {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
};

/** `job.gets` in turn, one due every 1/rate s for `seconds`, over `connections` keep-alive connections. */
async function runEvenly(job: LoadJob): Promise<LoadResult> {
  const [gets, rate, seconds] = [job.gets!, job.rate!, job.seconds ?? 10];
  const { Agent, request } = await import("node:http");
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const [lat, t0, cpu0] = [[] as number[], performance.now(), process.cpuUsage()];
  let [wrong, errors] = [0, 0];
  let firstWrong: string | undefined;
  const get = (path: string, due: number) =>
    new Promise<void>((resolve) => {
      const req = request(new URL(path, job.url), { agent, headers: job.headers }, (res) => {
        res.resume();
        res.on("end", () => {
          lat.push(performance.now() - due);
          if (res.statusCode !== job.status) {
            wrong++;
            firstWrong ??= `${res.statusCode} ${path}`;
          }
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const sent: Promise<void>[] = [];
  for (let i = 0; i < rate * seconds; i++) {
    const due = t0 + (i * 1000) / rate;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    sent.push(get(gets[i % gets.length]!, due));
  }
  await Promise.all(sent);
  agent.destroy();
  const cpu = process.cpuUsage(cpu0);
  return { lat, wrong, firstWrong, errors, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function run(job: LoadJob): Promise<LoadResult> {
  if (job.evenly && job.rate && job.gets) return await runEvenly(job);
  const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon; // CommonJS, without types
  const [lat, posts, gets, t0, cpu0] = [[] as number[], job.posts, job.gets, performance.now(), process.cpuUsage()];
  let [wrong, next] = [0, 0];
  let firstWrong: string | undefined;
  const request = {
    method: job.method,
    path: job.path,
    headers: job.headers,
    ...(posts && {
      setupRequest: (request: { path: string }, context: Context) => {
        const post = posts[next++ % posts.length]!; // autocannon asks once per request sent
        context.location = post.location;
        return { ...request, path: post.path, body: post.body };
      },
    }),
    ...(gets && {
      setupRequest: (request: { path: string }) => ({ ...request, path: gets[next++ % gets.length]! }),
    }),
    onResponse: (status: number, body: string, context: Context, headers: Record<string, string>) => {
      if (status === job.status && headers.location === context.location) return;
      wrong++;
      firstWrong ??= `${status} ${headers.location ?? ""} ${body.slice(0, 200)}`;
    },
  };
  const limits = { duration: job.seconds, amount: job.amount, overallRate: job.rate };
  const given = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
  // paced too: the latency of the requests sent, as the other phases measure it
  const options = { ...given, ignoreCoordinatedOmission: !!job.rate, timeout: 60, requests: [request] };
  const instance = autocannon({ url: job.url, connections: job.connections, ...options });
  instance.on("response", (_client, _status, _bytes, ms) => lat.push(ms));
  const { errors } = await instance;
  const cpu = process.cpuUsage(cpu0);
  return { lat, wrong, firstWrong, errors, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

if (process.argv.includes(CHILD) && process.send) {
  process.on("message", (job: LoadJob) => {
    run(job).then(
      (reply) => process.send!(reply),
      (error) => process.send!({ error: String(error) }),
    );
  });
  process.on("disconnect", () => process.exit(0));
  process.send("ready");
}
