/** The Temporal CLI dev server both benches run on, and the bundling of their hand-written workflows. */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import { devServerExecutable } from "../../src/temporal-servers/mod.ts";
import { cpuSources, processes } from "./cpu.ts";
import { type Cleanups, teardown } from "./lifecycle.ts";

/**
 * As the demo's server (examples/embedded.ts): a workflow task that schedules an activity gets it back
 * in its reply, and new tasks are handed on as they come rather than at most 20 times a second. Both
 * sides of a bench run on it alike.
 */
const SERVER_TUNING = [
  "--dynamic-config-value", "system.enableActivityEagerExecution=true",
  "--dynamic-config-value", "history.transferProcessorMaxPollRPS=1000",
];

export interface DevServer {
  env: TestWorkflowEnvironment;
  /** The SQLite file, or undefined when the store is in memory. */
  dbFile: string | undefined;
  /** How long it took to come up. */
  upMs: number;
}

/**
 * Starts the dev server without its UI, its SQLite store in a temporary file (`filePrefix`-<time>.sqlite,
 * WAL, the given `synchronous`) or in memory; finds its process for the CPU accounting; registers its
 * teardown (which deletes the file).
 */
export async function startDevServer(
  options: { memory: boolean; synchronous: string; filePrefix: string }, cleanups: Cleanups,
): Promise<DevServer> {
  const dbFile = options.memory ? undefined : join(tmpdir(), `${options.filePrefix}-${Date.now()}.sqlite`);
  const t = performance.now();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: await devServerExecutable(),
      ui: false,
      ...(dbFile ? { dbFilename: dbFile } : {}),
      extraArgs: ["--sqlite-pragma", "journal_mode=WAL", "--sqlite-pragma", `synchronous=${options.synchronous}`,
        ...SERVER_TUNING],
    },
  });
  const upMs = performance.now() - t;
  cleanups.add("tear the dev server down", async () => {
    teardown.started = true;
    await env.teardown();
    if (dbFile) for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  });
  const port = env.address.split(":").pop();
  cpuSources.serverPid = processes().find((p) => p.cmdline.includes("start-dev") && p.cmdline.includes(`--port ${port} `))?.pid;
  if (!cpuSources.serverPid) console.warn("bench: the dev server's process was not found; its CPU time is not counted");
  return { env, dbFile, upMs };
}

/** The workflows of this file (next to the caller: pass `new URL("./x.ts", import.meta.url)`), bundled without the bundler's chatter. */
export async function bundleWorkflows(file: URL): Promise<WorkflowBundleWithSourceMap> {
  return await bundleWorkflowCode({
    workflowsPath: fileURLToPath(file),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
}
