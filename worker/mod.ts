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
import { type Hooks, hookProblems } from "../src/definition/hooks.ts";
import { checkSubflowsServed } from "../src/definition/subflows.ts";
import { joeflowDb } from "../src/store/db.ts";

export interface JoeflowWorkerOptions<DB> {
  readonly connection: NativeConnection;
  readonly db: Kysely<DB>;
  readonly workflows: readonly AnyWorkflow[];
  readonly taskQueue?: string;
  readonly namespace?: string;
  /**
   * Hooks on the events of every workflow this worker runs, beside each definition's own `on`. Give
   * every worker of a task queue the same ones: an event is delivered by whichever worker picks it up.
   */
  readonly on?: Hooks;
  /** Passed on to Temporal's Worker: interceptors, concurrency, shutdown grace, ... */
  readonly temporal?: Partial<
    Omit<WorkerOptions, "connection" | "taskQueue" | "activities" | "workflowsPath" | "workflowBundle">
  >;
}

/** `.ts` when run from the sources (this repository, JSR), `.js` when run from the built package (dist/). */
const EXTENSION = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** The module of the one Temporal workflow, the interpreter, that every joeflow worker runs. */
const INTERPRETER_URL = new URL(`../src/interpreter/workflow${EXTENSION}`, import.meta.url);

/**
 * The interpreter bundled when the package is made (scripts/bundle-interpreter.ts), shipped next to this
 * module: in dist/worker/ of the npm package, in worker/ of the JSR package. The same for every user, since
 * the graph is its input. Absent in the repository's sources.
 */
export const PREBUILT_BUNDLE_URL: URL = new URL("./interpreter-bundle.js", import.meta.url);

let bundle: Promise<WorkflowBundle> | undefined;

/**
 * The interpreter's code, once per process: every worker runs the same one workflow. The prebuilt
 * bundle when there is one (the packages), else bundled from the sources now, which Temporal's
 * bundler can only do from files on disk.
 */
export function interpreterBundle(): Promise<WorkflowBundle> {
  bundle ??= loadInterpreterBundle();
  return bundle;
}

async function loadInterpreterBundle(): Promise<WorkflowBundle> {
  const code = await readPrebuiltBundle(PREBUILT_BUNDLE_URL);
  if (code !== undefined) return { code };
  if (INTERPRETER_URL.protocol !== "file:") {
    throw new Error(
      `joeflow: no prebuilt interpreter at ${PREBUILT_BUNDLE_URL.href}, and Temporal can bundle the ` +
        `interpreter only from files on disk (not ${INTERPRETER_URL.protocol} URLs)`,
    );
  }
  return await bundleWorkflowCode({ workflowsPath: fileURLToPath(INTERPRETER_URL), logger: quietLogger });
}

/** The prebuilt bundle's code, read or (from https:, as JSR serves it) fetched; undefined where there is none. */
async function readPrebuiltBundle(url: URL): Promise<string | undefined> {
  if (url.protocol === "file:") {
    return await readFile(url, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
  }
  const response = await fetch(url);
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) throw new Error(`joeflow: fetching the interpreter bundle ${url.href} answered ${response.status}`);
  return await response.text();
}

/** A Temporal worker that runs the interpreter and the activities of these workflows. */
export async function createWorker<DB>(options: JoeflowWorkerOptions<DB>): Promise<Worker> {
  const db = joeflowDb(options.db);
  const problems = hookProblems(options.on, "worker");
  if (problems.length) throw new TypeError(`joeflow: ${problems.join("; ")}`);
  checkSubflowsServed(options.workflows);
  return await Worker.create({
    ...options.temporal,
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowBundle: await interpreterBundle(),
    activities: createActivities(db, options.workflows, options.on),
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
