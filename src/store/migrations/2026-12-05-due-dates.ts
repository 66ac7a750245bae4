import { type Kysely, sql } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.

/**
 * Due dates of human tasks: `due`, when the task should be done, and `escalated`, when the interpreter
 * applied its `onDue` (or only marked it overdue), so a due date passes once. The inbox's index gets
 * `due` too: its "overdue" scope and counts stay index-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("joeflow_task")
    .addColumn("due", "timestamptz")
    .addColumn("escalated", "timestamptz")
    .execute();
  await sql`drop index joeflow_task_inbox`.execute(db);
  const open = sql`status = 'scheduled' and type = 'human'`;
  await sql`create index joeflow_task_inbox on joeflow_task (created desc, id desc)
    include (workflow_name, name, claimed_by, offered, due, escalated) where ${open}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index joeflow_task_inbox`.execute(db);
  await db.schema.alterTable("joeflow_task").dropColumn("escalated").dropColumn("due").execute();
  await sql`create index joeflow_task_inbox on joeflow_task (created desc, id desc)
    include (workflow_name, name, claimed_by, offered) where status = 'scheduled' and type = 'human'`.execute(db);
}
