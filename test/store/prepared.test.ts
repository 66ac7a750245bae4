/**
 * createPostgresDb runs the statements that write or lock as named prepared statements
 * (src/store/postgres.ts): PostgreSQL parses and plans them once per connection. Plain reads are
 * planned for their values each time. A migration that changes a prepared `select * ... for update`'s
 * columns fails that statement once, and its connection is closed, so the next query prepares afresh.
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
  const locked = (on: Kysely<Tables>, id: number) => byId(on, id).forUpdate();
  const rename = (on: Kysely<Tables>, name: string) => on.updateTable("item").set({ name }).where("id", "=", 1);

  it("prepares a write and a locking read once per connection, and answers as before", async () => {
    for (const name of ["uno", "one"]) await rename(db, name).execute();
    expect(await locked(db, 1).executeTakeFirst()).toEqual({ id: 1, name: "one" });
    expect(await locked(db, 1).executeTakeFirst()).toEqual({ id: 1, name: "one" });
    const statements = await prepared(db);
    expect(statements.filter((s) => s === rename(db, "one").compile().sql)).toHaveLength(1);
    expect(statements.filter((s) => s === locked(db, 1).compile().sql)).toHaveLength(1);
  });

  it("leaves plain reads, and a pool with `prepare: false`, unprepared", async () => {
    expect(await byId(db, 1).executeTakeFirst()).toEqual({ id: 1, name: "one" });
    expect(await prepared(db)).not.toContain(byId(db, 1).compile().sql);
    await rename(unprepared, "one").execute();
    expect(await locked(unprepared, 1).executeTakeFirst()).toEqual({ id: 1, name: "one" });
    expect(await prepared(unprepared)).toEqual([]);
  });

  it("fails a statement once after a migration changed its columns, then prepares it afresh", async () => {
    await sql`alter table item add column size int`.execute(unprepared);
    await expect(locked(db, 1).executeTakeFirst()).rejects.toThrow(/cached plan must not change result type/);
    expect(await locked(db, 1).executeTakeFirst()).toEqual({ id: 1, name: "one", size: null });
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
