/**
 * A reproduction, with nothing of joeflow, of the Deno crash in docs/runtimes.md: the bare SDK (1.24)
 * runs a workflow of many activities and local activities that continues as new, on the time-skipping
 * test server. On Deno the process has died of a segfault after about 80 s of such a loop.
 *
 *   npx --no deno run -A scripts/deno-crash-repro.ts [steps]    # Deno
 *   npx tsx scripts/deno-crash-repro.ts [steps]                 # Node, for comparison
 */
import process from "node:process";
import { fileURLToPath } from "node:url";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { Worker } from "@temporalio/worker";
import { testServerExecutable } from "../src/temporal-servers/mod.ts";

const total = Number(process.argv[2] ?? 5000);
const started = Date.now();
const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: await testServerExecutable() } });
try {
  const taskQueue = `repro-${crypto.randomUUID()}`;
  let steps = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL("./deno-crash-repro-workflows.ts", import.meta.url)),
    activities: {
      step: async (i: number) => {
        if (++steps % 1000 === 0) console.log(`${steps} activities, ${Math.round((Date.now() - started) / 1000)} s`);
        return i;
      },
    },
  });
  const args: [number, number] = [0, total];
  await worker.runUntil(
    env.client.workflow.execute("loop", { taskQueue, workflowId: `repro-${crypto.randomUUID()}`, args }),
  );
  console.log(`done: ${total} steps in ${Math.round((Date.now() - started) / 1000)} s`);
} finally {
  await env.teardown();
}
