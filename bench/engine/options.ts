/** bench/engine.ts's command line (see its header), read once when this module loads. */
import { flag, option } from "../support/options.ts";

export const options = {
  instances: option("instances", 200),
  steps: option("steps", 10),
  rounds: option("rounds", 2),
  solo: option("solo", 5),
  warmup: option("warmup", 20),
  pool: option("pool", 20),
  timeoutS: option("timeout", 900),
  /** Give a run up (describing what is stuck) when nothing moved for this long. */
  stallS: option("stall", 120),
  /** Repeat a stalled run with new instances up to this many times. */
  retries: option("retries", 2),
  memory: flag("memory"),
  profile: flag("profile"),
  activitySlots: option("activity-slots", 0), // 0: the SDK's default (100)
  wftSlots: option("wft-slots", 0), // 0: the SDK's default (40)
};
if (options.steps < 1) throw new Error("--steps must be at least 1");

/** Past this (epoch ms) a run is given up for good, not repeated. */
export const deadline = Date.now() + options.timeoutS * 1000;

/** The same worker options for both sides. */
export const workerTuning = {
  ...(options.activitySlots > 0 ? { maxConcurrentActivityTaskExecutions: options.activitySlots } : {}),
  ...(options.wftSlots > 0 ? { maxConcurrentWorkflowTaskExecutions: options.wftSlots } : {}),
  // Profiling: workflows run in the main thread (no worker threads), so the profile sees them too.
  ...(options.profile ? { debugMode: true } : {}),
};

export type Side = "joeflow" | "baseline";
/** The order the sides run in, each time. */
export const SIDES = ["baseline", "joeflow"] as const;
