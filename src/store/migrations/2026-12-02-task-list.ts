import { type Kysely, sql } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.

/** The task list: instance titles to search, group assignees, claims. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("joeflow_workflow")
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.alterTable("joeflow_task").addColumn("claimed_by", "text").execute();
  await db.schema
    .createTable("joeflow_task_group")
    .addColumn("task_id", "text", (c) => c.notNull().references("joeflow_task.id").onDelete("cascade"))
    .addColumn("group_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("joeflow_task_group_pk", ["task_id", "group_id"])
    .execute();
  await db.schema.createIndex("joeflow_task_group_by_group").on("joeflow_task_group").column("group_id").execute();
  // The inbox: open human tasks newest first, and what its counts read of each (an index-only scan).
  await sql`create index joeflow_task_inbox on joeflow_task (created desc, id desc) include (workflow_id, claimed_by)
    where status = 'scheduled' and type = 'human'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("joeflow_task_group").ifExists().execute();
  await db.schema.alterTable("joeflow_task").dropColumn("claimed_by").execute();
  await db.schema.alterTable("joeflow_workflow").dropColumn("title").execute();
}
