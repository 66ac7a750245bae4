/**
 * A Kysely on PostgreSQL that survives its connections: a server that restarts, fails over, or ends a
 * backend (an idle-in-transaction timeout, pg_terminate_backend) closes connections under the pool.
 * pg then emits 'error' on the client, and a client in use has no listener, so Node would exit
 * ("Unhandled 'error' event ... 57P01"). Here every client gets one: the query in flight fails (its
 * activity is retried by Temporal, its page answers 500), the pool opens a new connection, and the
 * process carries on.
 */
import { Kysely, type KyselyConfig, PostgresDialect, type PostgresPool, type PostgresPoolClient } from "kysely";
import pg from "pg";
import type { JoeflowDatabase } from "./schema.ts";

export interface PostgresOptions extends pg.PoolConfig {
  /** Where lost connections are reported; default console.warn. */
  readonly onConnectionError?: (error: Error) => void;
  /**
   * Named prepared statements (default true): see `preparing`. Turn them off behind a pooler that does
   * not keep them per client (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).
   */
  readonly prepare?: boolean;
  /** Kysely's `log` (pg's own `log` is the pool's): each query, or only the failed ones, as it ends. */
  readonly queryLog?: KyselyConfig["log"];
}

export function createPostgresDb<DB = JoeflowDatabase>(options: PostgresOptions): Kysely<DB> {
  const { onConnectionError, prepare = true, queryLog, ...config } = options;
  const report =
    onConnectionError ??
    ((error: Error) => console.warn(`joeflow: a PostgreSQL connection was lost: ${error.message}`));
  const pool = new pg.Pool({ connectionTimeoutMillis: 10_000, ...config });
  pool.on("error", report); // an idle client's connection ended
  pool.on("connect", (client) => client.on("error", report)); // a client in use: its query fails, not the process
  const dialect = new PostgresDialect({ pool: prepare ? preparing(pool) : pool });
  return new Kysely<DB>(queryLog ? { dialect, log: queryLog } : { dialect });
}

/** Statements worth preparing: those that write or lock (`for update`); not the plain reads. */
const PREPARED = /\b(insert|update|delete)\b/i;

/** How many statements (by their text) a process names; later ones run unnamed. */
const MAX_NAMED_STATEMENTS = 1_000;

/**
 * The pool, with the statements that write or lock (inserts, updates, `select ... for update`) run as
 * named prepared statements: each connection parses them once, and PostgreSQL plans them once, since a
 * generic plan does as well as the custom ones for rows found by their keys. A machine step's
 * statements are the same text each time, so this halved their backends' CPU (bench/engine.ts: 14 to
 * 9 ms per instance of 10 steps). Other reads are planned for their values each time: a generic plan
 * for the inbox's searches cost 60 ms of CPU a request instead of 23 (bench/web.ts).
 *
 * A prepared statement that answers `*` (`select * ... for update`, `returning *`) fails with "cached
 * plan must not change result type" once a migration has changed its table's columns: then it fails
 * once (its activity runs again, its page answers 500), and its connection is closed rather than
 * returned, so the next one prepares afresh.
 */
export function preparing(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    if (!PREPARED.test(text)) return undefined;
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) {
      name = `joeflow_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  // Kysely keeps a connection per client object: the same wrapper for the same client.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let stale = false;
    const query = async (text: string, values: readonly unknown[]) => {
      const name = values.length > 0 ? nameOf(text) : undefined;
      try {
        return await client.query(name ? { name, text, values: [...values] } : { text, values: [...values] });
      } catch (error) {
        if (name && isStalePlan(error)) stale = true;
        throw error;
      }
    };
    return {
      // Kysely streams through a cursor only when its dialect is given one; this one is not.
      query: query as unknown as PostgresPoolClient["query"],
      release: (destroy?: boolean) => {
        const closing = stale || destroy === true;
        stale = false;
        client.release(closing);
      },
    };
  };
  return {
    options: pool.options,
    async connect() {
      const client = await pool.connect();
      const known = wrappers.get(client);
      if (known) return known;
      const wrapper = wrap(client);
      wrappers.set(client, wrapper);
      return wrapper;
    },
    end: () => pool.end(),
  };
}

/** PostgreSQL's "cached plan must not change result type" (feature_not_supported). */
function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "0A000" && typeof message === "string" && message.includes("cached plan");
}
