/** bench/web.ts's command line (see its header), read once when this module loads. */
import { flag, listOption, option, wordOption } from "../support/options.ts";

export const options = {
  seconds: option("seconds", 10),
  /** At most this many requests in a saturating run. */
  max: option("max", 3000),
  solo: option("solo", 20),
  /** The paced runs' rate; undefined: half the slower POST's saturated throughput. */
  rate: flag("rate") ? option("rate", 20) : undefined,
  concurrency: option("concurrency", 20),
  warmup: option("warmup", 40),
  instances: option("instances", 10_000),
  indexSeconds: option("index-seconds", 5),
  pool: option("pool", 20),
  timeoutS: option("timeout", 900),
  memory: flag("memory"),
  profile: flag("profile"),
  requestTimeoutS: option("request-timeout", 60),
  /** The dev server's SQLite `synchronous` (the demo's NORMAL). */
  sync: wordOption("sync", "NORMAL"),
  postDbs: listOption("post-db", ["postgres", "pglite"]) as DbKind[],
};
for (const d of options.postDbs) if (d !== "postgres" && d !== "pglite") throw new Error(`--post-db: postgres or pglite, not ${d}`);

export type DbKind = "postgres" | "pglite";

/** The goals: POST p50 and p99 (ms), POST p50 over a floor's p50, index page p99 (ms). */
export const GOALS = { postP50: 30, postRatio: 2, postP99: 150, indexP99: 100 };

/** Tells this run's workflow ids apart from an earlier run's. */
export const TAG = Date.now().toString(36);
const deadline = Date.now() + options.timeoutS * 1000;

export function checkDeadline(what: string): void {
  if (Date.now() > deadline) throw new Error(`over the --timeout of ${options.timeoutS} s (${what})`);
}

