/**
 * The inbox's data: N running shipping orders, each with its `ship` task open, written straight into
 * joeflow's tables (as index-data.ts does), with titles, assignees, groups and claims in this mix:
 * 20 % assigned to "warehouse", 20 % to one of 19 other people, 30 % offered to a group (half to
 * "shipping-team", which "warehouse" is in; every fifth of those claimed, by "warehouse" or another),
 * 30 % to anyone. Created over the last 30 days; the same for a given seed.
 */
import { type Kysely, sql } from "kysely";
import type { CompiledGraph, JoeflowDatabase } from "joeflow";

export const BENCH_GROUPS: Readonly<Record<string, readonly string[]>> = { warehouse: ["shipping-team", "packers"] };

export async function seedInbox(db: Kysely<JoeflowDatabase>, n: number, shipping: CompiledGraph) {
  await db.transaction().execute(async (tx) => {
    await sql`SELECT setseed(0.24)`.execute(tx);
    await sql`INSERT INTO joeflow_graph (version, name, graph, created)
      VALUES (${shipping.version}, ${shipping.name}, ${JSON.stringify(shipping)}, now())
      ON CONFLICT (version) DO NOTHING`.execute(tx);
    await sql`CREATE TEMP TABLE bench_inbox ON COMMIT DROP AS
      SELECT g, gen_random_uuid()::text AS id, gen_random_uuid()::text AS t1, gen_random_uuid()::text AS t2,
        date_trunc('milliseconds', now() - interval '1 minute' - random() * interval '30 days') AS created,
        random() AS r
      FROM generate_series(1, ${n}::int) AS g`.execute(tx);
    await sql`INSERT INTO joeflow_workflow (id, name, status, state, title, graph_version, revision, created, modified)
      SELECT id, 'shipping', 'running', jsonb_build_object('shippingAddress', g || ' Inbox Street, Town ' || (g % 97)),
        'Order to ' || g || ' Inbox Street, Town ' || (g % 97), ${shipping.version}, 1, created, created
      FROM bench_inbox`.execute(tx);
    await sql`INSERT INTO joeflow_task
        (id, workflow_id, name, type, status, attempt, completed_by_user, created, modified, completed)
      SELECT t1, id, 'checkout', 'human', 'succeeded', 1, 'clerk', created, created, created
      FROM bench_inbox ORDER BY created`.execute(tx);
    await sql`INSERT INTO joeflow_task (id, workflow_id, name, type, status, attempt, claimed_by, created, modified)
      SELECT t2, id, 'ship', 'human', 'scheduled', 1,
        CASE WHEN r >= 0.4 AND r < 0.7 AND g % 5 = 0 THEN CASE WHEN g % 2 = 0 THEN 'warehouse' ELSE 'user-3' END END,
        created, created
      FROM bench_inbox ORDER BY created`.execute(tx);
    await sql`INSERT INTO joeflow_task_parent (task_id, parent_id) SELECT t2, t1 FROM bench_inbox`.execute(tx);
    await sql`INSERT INTO joeflow_task_assignee (task_id, user_id)
      SELECT t2, CASE WHEN r < 0.2 THEN 'warehouse' ELSE 'user-' || (1 + g % 19) END FROM bench_inbox
      WHERE r < 0.4`.execute(tx);
    await sql`INSERT INTO joeflow_task_group (task_id, group_id)
      SELECT t2, CASE WHEN g % 2 = 0 THEN 'shipping-team' ELSE 'office' END FROM bench_inbox
      WHERE r >= 0.4 AND r < 0.7`.execute(tx);
  });
  await sql`ANALYZE joeflow_workflow, joeflow_task, joeflow_task_parent, joeflow_task_assignee,
    joeflow_task_group`.execute(db);
}
