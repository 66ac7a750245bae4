/**
 * A worker survives its database: PostgreSQL ends the backends under it mid-transaction (a failover,
 * an idle-in-transaction timeout, pg_terminate_backend), the transactions roll back, Temporal runs
 * their activities again, and every instance finishes with each step applied once. A database that
 * cannot be reached at start is waited for, and named.
 */
import { createServer } from "node:net";
import { createPostgresDb, defineWorkflow, migrateToLatest, tasks } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { freshPostgres, postgresUrl } from "../fixtures/postgres.ts";

const STEPS = 4;

/** Each step holds its transaction open a moment, so that a terminated backend is one mid-transaction. */
const slow = defineWorkflow({
  name: "slow",
  state: z.object({ count: z.number().int() }),
  tasks: {
    start: tasks.start(),
    ...Object.fromEntries(
      Array.from({ length: STEPS }, (_, i) => [
        `s${i}`,
        async ({ state, db }: { state: { count: number }; db: { executeQuery: unknown } }) => {
          await sql`select pg_sleep(0.15)`.execute(db as never);
          state.count += 1;
        },
      ]),
    ),
  } as never,
  edges: [["start", "s0"], ...Array.from({ length: STEPS - 1 }, (_, i) => [`s${i}`, `s${i + 1}`])] as never,
});

describe.skipIf(!postgresUrl)("a worker whose PostgreSQL connections are cut", () => {
  let env: TestEnv;
  let drop: () => Promise<void>;
  let database: string;
  const lost: string[] = [];
  beforeAll(async () => {
    const postgres = await freshPostgres();
    drop = postgres.drop;
    database = new URL(postgres.url).pathname.slice(1);
    const db = createPostgresDb({
      connectionString: postgres.url,
      max: 10,
      onConnectionError: (e) => lost.push(e.message),
    });
    env = await createTestEnv({ workflows: [slow], db });
  });
  afterAll(async () => {
    await env?.teardown();
    await drop?.();
  });

  it("rolls back what was cut, runs it again, and finishes every instance with each step once", async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => env.joeflow.start(slow, { state: { count: 0 } })));
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    let terminated = 0;
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const { rowCount } = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [database],
      );
      terminated += rowCount ?? 0;
    }
    await admin.end();
    expect(terminated).toBeGreaterThan(0);
    for (const { workflowId } of runs) {
      await env.idle(workflowId, { timeout: 60_000 });
      const instance = await env.joeflow.get(workflowId);
      expect([workflowId, instance.status, instance.state.count]).toEqual([workflowId, "done", STEPS]);
      expect((await env.joeflow.history(workflowId)).length).toBe(STEPS + 1);
    }
    expect(lost.length).toBeGreaterThan(0);
  });
});

describe("migrating a database that is not there", () => {
  it("waits for it, saying why once, and then names the cause", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const db = createPostgresDb({ connectionString: `postgres://nobody:x@127.0.0.1:${port}/none` });
    const waits: string[] = [];
    const error = await migrateToLatest(db, { waitMs: 1_500, onWait: (cause) => waits.push(cause) }).catch((e) => e);
    await db.destroy();
    expect(String(error)).toMatch(/^Error: joeflow could not reach the database to migrate it: .*ECONNREFUSED/);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatch(/ECONNREFUSED/);
  });
});
