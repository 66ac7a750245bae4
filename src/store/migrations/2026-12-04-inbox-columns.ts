import { type Kysely, sql } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.

/**
 * The inbox counts every open human task for each scope on every request, so what it asks of a task
 * lives on the task's row, where one index holds it all: the instance's workflow name (the viewer may see
 * only some workflows; joining 10,000 instances cost more than counting) and whether anybody is named for
 * the task (`offered`; "unassigned" probed both assignee tables once per task before). Triggers keep
 * them true whoever writes the rows, so no insert path of the store can forget them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("joeflow_task")
    .addColumn("workflow_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("offered", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`update joeflow_task t set workflow_name = w.name
    from joeflow_workflow w where w.id = t.workflow_id`.execute(db);
  await sql`update joeflow_task t set offered = true where exists
    (select 1 from joeflow_task_assignee a where a.task_id = t.id)
    or exists (select 1 from joeflow_task_group g where g.task_id = t.id)`.execute(db);
  await sql`create function joeflow_task_workflow_name() returns trigger language plpgsql as $$
    begin
      new.workflow_name := (select name from joeflow_workflow where id = new.workflow_id);
      return new;
    end $$`.execute(db);
  await sql`create trigger joeflow_task_workflow_name before insert on joeflow_task
    for each row execute function joeflow_task_workflow_name()`.execute(db);
  await sql`create function joeflow_task_offered() returns trigger language plpgsql as $$
    declare task text := coalesce(new.task_id, old.task_id);
    begin
      update joeflow_task set offered =
        exists (select 1 from joeflow_task_assignee a where a.task_id = task)
        or exists (select 1 from joeflow_task_group g where g.task_id = task)
      where id = task;
      return null;
    end $$`.execute(db);
  for (const table of ["joeflow_task_assignee", "joeflow_task_group"]) {
    await sql`create trigger ${sql.id(`${table}_offered`)} after insert or delete on ${sql.table(table)}
      for each row execute function joeflow_task_offered()`.execute(db);
  }
  await sql`drop index joeflow_task_inbox`.execute(db);
  await sql`create index joeflow_task_inbox on joeflow_task (created desc, id desc)
    include (workflow_name, name, claimed_by, offered) where status = 'scheduled' and type = 'human'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["joeflow_task_assignee", "joeflow_task_group"]) {
    await sql`drop trigger if exists ${sql.id(`${table}_offered`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop trigger if exists joeflow_task_workflow_name on joeflow_task`.execute(db);
  await sql`drop function if exists joeflow_task_offered()`.execute(db);
  await sql`drop function if exists joeflow_task_workflow_name()`.execute(db);
  await db.schema.alterTable("joeflow_task").dropColumn("offered").dropColumn("workflow_name").execute();
  await sql`create index joeflow_task_inbox on joeflow_task (created desc, id desc) include (workflow_id, claimed_by)
    where status = 'scheduled' and type = 'human'`.execute(db);
}
