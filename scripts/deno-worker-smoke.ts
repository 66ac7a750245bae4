/**
 * A live Temporal worker with nothing of joeflow: the bare SDK (1.24) on whichever runtime runs it.
 *
 *   npx deno run -A scripts/deno-worker-smoke.ts     # Deno
 *   npx tsx scripts/deno-worker-smoke.ts             # Node, for comparison
 *
 * Starts the time-skipping test server, bundles a workflow (webpack + swc), runs Worker.create/runUntil
 * with one activity, and prints where the activity ran. Exit code 0 = it works on this runtime.
 */
import process from "node:process";
import { fileURLToPath } from "node:url";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { Worker } from "@temporalio/worker";
import { testServerExecutable } from "../src/temporal-servers/mod.ts";

const runtime = () => {
  const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
  return deno ? `Deno ${deno.version.deno}` : `Node ${process.version}`;
};

const started = Date.now();
const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: await testServerExecutable() } });
try {
  const taskQueue = `smoke-${crypto.randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL("./deno-worker-smoke-workflows.ts", import.meta.url)),
    activities: { where: async () => runtime() },
  });
  const result = await worker.runUntil(
    env.client.workflow.execute("smoke", { taskQueue, workflowId: `smoke-${crypto.randomUUID()}`, args: [] }),
  );
  console.log(`${result} (process: ${runtime()}, ${Date.now() - started} ms)`);
} finally {
  await env.teardown();
}
