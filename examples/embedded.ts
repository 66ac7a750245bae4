/**
 * The embedded defaults on one machine: the Temporal dev server keeping its state in a SQLite file,
 * PGlite (PostgreSQL in WebAssembly) in a data folder, and a worker in this same process (PGlite is
 * single-process). Scaling out means a Temporal cluster and PostgreSQL instead.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import {
  type AnyWorkflow,
  createJoeflow,
  type Hooks,
  type Joeflow,
  type JoeflowDatabase,
  migrateToLatest,
} from "joeflow";
import { createWorker } from "joeflow/worker";
import { Kysely, PGliteDialect } from "kysely";
import { devServerArgs, devServerExecutable } from "../src/temporal-servers/mod.ts";

export interface Embedded {
  readonly joeflow: Joeflow;
  readonly temporalUi: string;
  stop(): Promise<void>;
}

export async function startEmbedded(options: {
  dataDir: string;
  workflows: readonly AnyWorkflow[];
  uiPort?: number;
  /** The worker's hooks on every workflow's events. */
  on?: Hooks;
}): Promise<Embedded> {
  mkdirSync(options.dataDir, { recursive: true });
  const uiPort = options.uiPort ?? 8233;
  const temporal = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: await devServerExecutable(),
      dbFilename: join(options.dataDir, "temporal.sqlite"),
      ui: true,
      uiPort,
      // A step takes 15 ms instead of 100, and no task waits in a partition nobody polls (dev-server.ts).
      extraArgs: devServerArgs(["journal_mode=WAL", "synchronous=NORMAL"]),
    },
  });
  // What is started is stopped again if a later step fails, so a failed start leaves no server behind.
  let db: Kysely<JoeflowDatabase> | undefined;
  let worker: Awaited<ReturnType<typeof createWorker>>;
  try {
    db = new Kysely({ dialect: new PGliteDialect({ pglite: new PGlite(join(options.dataDir, "pglite")) }) });
    await migrateToLatest(db);
    const { workflows, on } = options;
    worker = await createWorker({ connection: temporal.nativeConnection, db, workflows, on });
  } catch (error) {
    await db?.destroy().catch(() => {});
    await temporal.teardown().catch(() => {});
    throw error;
  }
  const running = worker.run();
  const joeflow = createJoeflow({ db, temporal: temporal.client, workflows: options.workflows });
  return {
    joeflow,
    temporalUi: `http://localhost:${uiPort}`,
    async stop() {
      if (worker.getState() === "RUNNING") worker.shutdown(); // Ctrl-C has already stopped it
      await running;
      await temporal.teardown();
      await db.destroy();
    },
  };
}
