import { type Kysely, sql } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.

/**
 * Live pages: every instance row says which transaction wrote it last (`changed`, a 64-bit xid8),
 * so a web process can ask "which instances changed since transaction X" without trusting clocks.
 * `modified` cannot answer that: it is the workflow's (Temporal's) time of the step, set before a
 * machine task runs and committed minutes later, so a "modified since" cursor would skip it. A
 * trigger sets the column on every insert and update, whoever writes the row; every change to an
 * instance's tasks commits a transition that updates its row (commitTransition), so this one column
 * covers the tasks too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("joeflow_workflow")
    .addColumn("changed", sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
    .execute();
  await sql`create function joeflow_workflow_changed() returns trigger language plpgsql as $$
    begin new.changed := pg_current_xact_id(); return new; end $$`.execute(db);
  await sql`create trigger joeflow_workflow_changed before update on joeflow_workflow
    for each row execute function joeflow_workflow_changed()`.execute(db);
  await db.schema.createIndex("joeflow_workflow_by_changed").on("joeflow_workflow").column("changed").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists joeflow_workflow_changed on joeflow_workflow`.execute(db);
  await sql`drop function if exists joeflow_workflow_changed()`.execute(db);
  await db.schema.dropIndex("joeflow_workflow_by_changed").ifExists().execute();
  await db.schema.alterTable("joeflow_workflow").dropColumn("changed").execute();
}
