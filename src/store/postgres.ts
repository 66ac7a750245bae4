/**
 * A Kysely on PostgreSQL that survives its connections: a server that restarts, fails over, or ends a
 * backend (an idle-in-transaction timeout, pg_terminate_backend) closes connections under the pool.
 * pg then emits 'error' on the client, and a client in use has no listener, so Node would exit
 * ("Unhandled 'error' event ... 57P01"). Here every client gets one: the query in flight fails (its
 * activity is retried by Temporal, its page answers 500), the pool opens a new connection, and the
 * process carries on.
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { JoeflowDatabase } from "./schema.ts";

export interface PostgresOptions extends pg.PoolConfig {
  /** Where lost connections are reported; default console.warn. */
  readonly onConnectionError?: (error: Error) => void;
}

export function createPostgresDb<DB = JoeflowDatabase>(options: PostgresOptions): Kysely<DB> {
  const { onConnectionError, ...config } = options;
  const report =
    onConnectionError ??
    ((error: Error) => console.warn(`joeflow: a PostgreSQL connection was lost: ${error.message}`));
  const pool = new pg.Pool({ connectionTimeoutMillis: 10_000, ...config });
  pool.on("error", report); // an idle client's connection ended
  pool.on("connect", (client) => client.on("error", report)); // a client in use: its query fails, not the process
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
