import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.

/**
 * Sub-workflows: a child instance names the instance and the task that started it, and a subflow task
 * names the child it started last (a rerun starts a new one), so the pages and the API link the two.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("joeflow_workflow")
    .addColumn("parent_workflow_id", "text")
    .addColumn("parent_task_id", "text")
    .execute();
  await db.schema.alterTable("joeflow_task").addColumn("child_workflow_id", "text").execute();
  await db.schema
    .createIndex("joeflow_workflow_parent")
    .on("joeflow_workflow")
    .column("parent_workflow_id")
    .where("parent_workflow_id", "is not", null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("joeflow_workflow_parent").ifExists().execute();
  await db.schema.alterTable("joeflow_task").dropColumn("child_workflow_id").execute();
  await db.schema
    .alterTable("joeflow_workflow")
    .dropColumn("parent_task_id")
    .dropColumn("parent_workflow_id")
    .execute();
}
