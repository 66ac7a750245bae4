/**
 * A worker process for the fault-injection tests, killed and restarted by them: it runs the chain
 * workflow (chain.ts) against the Temporal server and PostgreSQL named in its environment.
 *
 *   TEMPORAL_ADDRESS=… DATABASE_URL=… FAULT_TASK_QUEUE=… FAULT_STEPS=5 FAULT_STEP_MS=200 \
 *     node --import tsx test/faults/worker.ts
 */
import process from "node:process";
import { NativeConnection, Runtime } from "@temporalio/worker";
import { createPostgresDb } from "joeflow";
import { createWorker } from "joeflow/worker";
import { chainWorkflow, effectsWriter } from "./chain.ts";

Runtime.install({ shutdownSignals: [] }); // the tests end this process with SIGKILL, nothing else

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
};
const url = env("DATABASE_URL");
const effects = effectsWriter(url);
const db = createPostgresDb({
  connectionString: url,
  max: 10,
  onConnectionError: (error) => console.log(`fault worker: a PostgreSQL connection was lost: ${error.message}`),
});
const connection = await NativeConnection.connect({ address: env("TEMPORAL_ADDRESS") });
const worker = await createWorker({
  connection,
  db,
  workflows: [
    chainWorkflow({ steps: Number(env("FAULT_STEPS")), stepMs: Number(env("FAULT_STEP_MS")), effect: effects.effect }),
  ],
  taskQueue: env("FAULT_TASK_QUEUE"),
});
const running = worker.run();
console.log(`fault worker: ready (pid ${process.pid})`);
await running.catch((error: unknown) => {
  console.error("fault worker failed:", error);
  process.exit(1);
});
