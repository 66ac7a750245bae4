/**
 * What the worker and the web processes of a scaled-out deployment read from their environment: a
 * Temporal cluster, PostgreSQL, and the secret the web processes share. Missing or malformed
 * settings stop the process at once with a message that names them.
 */
import process from "node:process";
import type { Kysely } from "kysely";
import { createPostgresDb, type JoeflowDatabase } from "joeflow";

export interface ClusterConfig {
  /** Temporal's frontend, host:port (TEMPORAL_ADDRESS, default localhost:7233). */
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly taskQueue: string;
  /** PostgreSQL (DATABASE_URL, required: PGlite is one process, so it cannot be shared). */
  readonly databaseUrl: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ClusterConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("Set DATABASE_URL to your PostgreSQL, e.g. postgres://user:password@db:5432/joeflow");
  }
  return {
    temporalAddress: env.TEMPORAL_ADDRESS ?? "localhost:7233",
    namespace: env.TEMPORAL_NAMESPACE ?? "default",
    taskQueue: env.JOEFLOW_TASK_QUEUE ?? "joeflow",
    databaseUrl,
  };
}

export function openDatabase(config: ClusterConfig, poolSize = 10): Kysely<JoeflowDatabase> {
  // Lost connections (a restart, a failover, a terminated backend) are reported, not fatal.
  return createPostgresDb({ connectionString: config.databaseUrl, max: poolSize });
}
