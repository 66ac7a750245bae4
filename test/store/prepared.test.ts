/**
 * createPostgresDb runs statements with parameters as named prepared statements (src/store/postgres.ts):
 * PostgreSQL parses them once per connection. A migration that changes a prepared `select *`'s columns
 * fails that statement once, and its connection is closed, so the next query prepares afresh.
 * Needs JOEFLOW_TEST_PG_URL.
 */
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDb } from "../../src/store/postgres.ts";
import { freshPostgres, postgresUrl } from "../fixtures/postgres.ts";

interface Tables {
  item: { id: number; name: string; size?: number };
}

describe.skipIf(!postgresUrl)("prepared statements on PostgreSQL", () => {
  let fresh: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Kysely<Tables>;
  let unprepared: Kysely<Tables>;

  beforeAll(async () => {
    fresh = await freshPostgres();
    // One connection each, so that what one query prepared is there for the next.
    db = createPostgresDb<Tables>({ connectionString: fresh.url, max: 1, onConnectionError: () => {} });
    unprepared = createPostgresDb<Tables>({ connectionString: fresh.url, max: 1, prepare: false });
    await sql`create table item (id int primary key, name text not null)`.execute(db);
    await db.insertInto("item").values({ id: 1, name: "one" }).execute();
  });
  afterAll(async () => {
    await unprepared?.destroy();
    await db?.destroy();
    await fresh?.drop();
  });

  const prepared = async (on: Kysely<Tables>) => {
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(on);
    return rows.map((r) => r.statement);
  };
  const byId = (on: Kysely<Tables>, id: number) => on.selectFrom("item").selectAll().where("id", "=", id);

  it("prepares a statement with parameters once per connection, and answers as before", async () => {
    expect(await byId(db, 1).executeTakeFirst()).toEqual({ id: 1, name: "one" });
    expect(await byId(db, 1).executeTakeFirst()).toEqual({ id: 1, name: "one" });
    const statements = await prepared(db);
    expect(statements.filter((s) => s === byId(db, 1).compile().sql)).toHaveLength(1);
  });

  it("leaves statements without parameters, and a pool with `prepare: false`, unprepared", async () => {
    await sql`select 1 as one`.execute(db);
    expect(await prepared(db)).not.toContain("select 1 as one");
    expect(await byId(unprepared, 1).executeTakeFirst()).toEqual({ id: 1, name: "one" });
    expect(await prepared(unprepared)).toEqual([]);
  });

  it("fails a statement once after a migration changed its columns, then prepares it afresh", async () => {
    await sql`alter table item add column size int`.execute(unprepared);
    await expect(byId(db, 1).executeTakeFirst()).rejects.toThrow(/cached plan must not change result type/);
    expect(await byId(db, 1).executeTakeFirst()).toEqual({ id: 1, name: "one", size: null });
  });

  it("keeps a transaction's statements prepared, and rolls back as before", async () => {
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.updateTable("item").set({ name: "changed" }).where("id", "=", 1).execute();
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect((await byId(db, 1).executeTakeFirst())?.name).toBe("one");
  });
});
