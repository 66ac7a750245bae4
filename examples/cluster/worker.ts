/**
 * A worker process of a scaled-out deployment: run as many as the load needs, on as many machines.
 * Each runs the interpreter and the machine tasks of the workflows below, against a Temporal cluster
 * and PostgreSQL (see config.ts for the environment). It migrates the tables first; the migrator
 * takes a lock, so workers starting together do not race.
 *
 *   DATABASE_URL=postgres://… TEMPORAL_ADDRESS=temporal:7233 node --import tsx examples/cluster/worker.ts
 */
import { NativeConnection, Runtime } from "@temporalio/worker";
import { migrateToLatest } from "joeflow";
import { createWorker } from "joeflow/worker";
import { shipping } from "../shipping.ts";
import { welcome } from "../welcome.ts";
import { onShutdown } from "../shutdown.ts";
import { openDatabase, readConfig } from "./config.ts";

// We stop in our own order (worker, then connection and pool), so the SDK must not act on signals too.
Runtime.install({ shutdownSignals: [] });

const config = readConfig();
const db = openDatabase(config);
await migrateToLatest(db);
const connection = await NativeConnection.connect({ address: config.temporalAddress });
const worker = await createWorker({
  connection,
  db,
  workflows: [welcome, shipping],
  taskQueue: config.taskQueue,
  namespace: config.namespace,
});
const running = worker.run();
onShutdown(async () => {
  worker.shutdown(); // finishes the tasks in hand; Temporal hands the rest to other workers
  await running;
  await connection.close();
  await db.destroy();
});
console.log(`joeflow worker: task queue "${config.taskQueue}" on ${config.temporalAddress} (${config.namespace})`);
await running.catch((error: unknown) => {
  console.error("worker failed:", error);
  process.exit(1);
});
