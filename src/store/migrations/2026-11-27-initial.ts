import { type Kysely, sql } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("joeflow_graph")
    .addColumn("version", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("graph", "jsonb", (c) => c.notNull())
    .addColumn("created", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("joeflow_workflow")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('running', 'done', 'canceled')`))
    .addColumn("state", "jsonb", (c) => c.notNull())
    .addColumn("graph_version", "text", (c) => c.notNull().references("joeflow_graph.version"))
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created", "timestamptz", (c) => c.notNull())
    .addColumn("modified", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("joeflow_workflow_list")
    .on("joeflow_workflow")
    .columns(["created desc", "id desc"])
    .execute();
  await db.schema
    .createIndex("joeflow_workflow_by_name")
    .on("joeflow_workflow")
    .columns(["name", "status", "created desc", "id desc"])
    .execute();
  await db.schema
    .createTable("joeflow_task")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn("workflow_id", "text", (c) => c.notNull().references("joeflow_workflow.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull().check(sql`type in ('human', 'machine')`))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('scheduled', 'succeeded', 'failed', 'canceled')`),
    )
    .addColumn("attempt", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("completed_by_user", "text")
    .addColumn("created", "timestamptz", (c) => c.notNull())
    .addColumn("modified", "timestamptz", (c) => c.notNull())
    .addColumn("completed", "timestamptz")
    .addColumn("exception", "text")
    .addColumn("stacktrace", "text")
    .execute();
  await db.schema.createIndex("joeflow_task_by_workflow").on("joeflow_task").columns(["workflow_id", "seq"]).execute();
  // Every transition reads the instance's open tasks: keep that independent of how many have closed.
  await db.schema
    .createIndex("joeflow_task_open")
    .on("joeflow_task")
    .columns(["workflow_id", "seq"])
    .where(sql.ref("status"), "in", sql`('scheduled', 'failed')`)
    .execute();
  await db.schema
    .createIndex("joeflow_task_list")
    .on("joeflow_task")
    .columns(["status", "created desc", "id desc"])
    .execute();
  await db.schema
    .createTable("joeflow_task_parent")
    .addColumn("task_id", "text", (c) => c.notNull().references("joeflow_task.id").onDelete("cascade"))
    .addColumn("parent_id", "text", (c) => c.notNull().references("joeflow_task.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("joeflow_task_parent_pk", ["task_id", "parent_id"])
    .execute();
  await db.schema.createIndex("joeflow_task_parent_by_parent").on("joeflow_task_parent").column("parent_id").execute();
  await db.schema
    .createTable("joeflow_task_assignee")
    .addColumn("task_id", "text", (c) => c.notNull().references("joeflow_task.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("joeflow_task_assignee_pk", ["task_id", "user_id"])
    .execute();
  await db.schema.createIndex("joeflow_task_assignee_by_user").on("joeflow_task_assignee").column("user_id").execute();
  await db.schema
    .createTable("joeflow_state_change")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("workflow_id", "text", (c) => c.notNull().references("joeflow_workflow.id").onDelete("cascade"))
    .addColumn("task_id", "text", (c) => c.notNull())
    .addColumn("task_name", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("before", "jsonb")
    .addColumn("after", "jsonb", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("joeflow_state_change_by_workflow")
    .on("joeflow_state_change")
    .columns(["workflow_id", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "joeflow_state_change",
    "joeflow_task_assignee",
    "joeflow_task_parent",
    "joeflow_task",
    "joeflow_workflow",
    "joeflow_graph",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
