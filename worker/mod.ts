import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import {
  bundleWorkflowCode,
  type NativeConnection,
  Worker,
  type WorkerOptions,
  type WorkflowBundle,
} from "@temporalio/worker";
import type { Kysely } from "kysely";
import { createActivities } from "./activities.ts";
import { DEFAULT_TASK_QUEUE } from "../src/client/joeflow.ts";
import type { AnyWorkflow } from "../src/definition/define.ts";
import { joeflowDb } from "../src/store/db.ts";

export interface JoeflowWorkerOptions<DB> {
  readonly connection: NativeConnection;
  readonly db: Kysely<DB>;
  readonly workflows: readonly AnyWorkflow[];
  readonly taskQueue?: string;
  readonly namespace?: string;
  /** Passed on to Temporal's Worker: interceptors, concurrency, shutdown grace, ... */
  readonly temporal?: Partial<
    Omit<WorkerOptions, "connection" | "taskQueue" | "activities" | "workflowsPath" | "workflowBundle">
  >;
}

/** `.ts` when run from the sources (this repository), `.js` when run from the built package (dist/). */
const EXTENSION = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** The file of the one Temporal workflow, the interpreter, that every joeflow worker bundles. */
export const INTERPRETER_PATH: string = fileURLToPath(
  new URL(`../src/interpreter/workflow${EXTENSION}`, import.meta.url),
);

/**
 * The interpreter bundled at build time (scripts/build.ts), shipped in the package next to this
 * module: the same for every user, since the graph is its input. Absent in the sources.
 */
export const PREBUILT_BUNDLE_PATH: string = fileURLToPath(new URL("./interpreter-bundle.js", import.meta.url));

let bundle: Promise<WorkflowBundle> | undefined;

/**
 * The interpreter's code, once per process: every worker runs the same one workflow. The prebuilt
 * bundle when there is one (the installed package), else bundled from the sources now.
 */
export function interpreterBundle(): Promise<WorkflowBundle> {
  bundle ??= readFile(PREBUILT_BUNDLE_PATH, "utf8").then(
    (code) => ({ code }),
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
      return bundleWorkflowCode({ workflowsPath: INTERPRETER_PATH, logger: quietLogger });
    },
  );
  return bundle;
}

/** A Temporal worker that runs the interpreter and the activities of these workflows. */
export async function createWorker<DB>(options: JoeflowWorkerOptions<DB>): Promise<Worker> {
  const db = joeflowDb(options.db);
  return await Worker.create({
    ...options.temporal,
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowBundle: await interpreterBundle(),
    activities: createActivities(db, options.workflows),
  });
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export { migrateToLatest } from "../src/store/migrate.ts";
