import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.

/**
 * The outbox of hook events: written in the transaction of the change an event reports, delivered
 * after it commits by an activity, which records each attempt here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("joeflow_event")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workflow_id", "text", (c) => c.notNull().references("joeflow_workflow.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("task_id", "text")
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("created", "timestamptz", (c) => c.notNull())
    .addColumn("modified", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("joeflow_event_by_workflow")
    .on("joeflow_event")
    .columns(["workflow_id", "status"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("joeflow_event").ifExists().execute();
}
