import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("joeflow_message")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workflow_id", "text", (c) => c.notNull().references("joeflow_workflow.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("task_id", "text")
    .addColumn("user_id", "text")
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("joeflow_message_by_workflow")
    .on("joeflow_message")
    .columns(["workflow_id", "at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("joeflow_message").ifExists().execute();
}
