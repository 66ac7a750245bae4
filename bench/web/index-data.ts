/**
 * The index page's data: N instances written straight into joeflow's tables in a few statements
 * (running N workflows would take many minutes), shaped as joeflow writes them: the graph rows, a
 * workflow row each, its finished start task, a second task linked to it, and the start's state change.
 * Mix: 60 % shipping (30 % running with `ship` open, 60 % done, 10 % canceled), 40 % welcome (done),
 * created over the last 30 days; the same for a given seed (PostgreSQL's setseed).
 */
import { type Kysely, sql } from "kysely";
import type { CompiledGraph, JoeflowDatabase } from "joeflow";

type Graph = CompiledGraph;
export async function seedInstances(db: Kysely<JoeflowDatabase>, n: number, shipping: Graph, welcome: Graph) {
  const first = sql`CASE WHEN name = 'shipping' THEN 'checkout' ELSE 'start' END`; // the start task: a human start view
  await db.transaction().execute(async (tx) => {
    await sql`SELECT setseed(0.42)`.execute(tx);
    for (const graph of [shipping, welcome]) {
      await sql`INSERT INTO joeflow_graph (version, name, graph, created)
        VALUES (${graph.version}, ${graph.name}, ${JSON.stringify(graph)}, now())
        ON CONFLICT (version) DO NOTHING`.execute(tx);
    }
    await sql`CREATE TEMP TABLE bench_seed ON COMMIT DROP AS
      SELECT g, id, gen_random_uuid()::text AS t1, gen_random_uuid()::text AS t2, name, created,
        CASE WHEN name = 'welcome' THEN 'done' WHEN r < 0.3 THEN 'running' WHEN r < 0.9 THEN 'done'
          ELSE 'canceled' END AS status
      FROM (SELECT g, gen_random_uuid()::text AS id, CASE WHEN g % 5 < 3 THEN 'shipping' ELSE 'welcome' END AS name,
        date_trunc('milliseconds', now() - interval '1 hour' - random() * interval '30 days') AS created, random() AS r
        FROM generate_series(1, ${n}::int) AS g) AS s`.execute(tx);
    await sql`INSERT INTO joeflow_workflow (id, name, status, state, graph_version, revision, created, modified)
      SELECT id, name, status,
        CASE WHEN name = 'welcome' THEN jsonb_build_object('user', 'ann')
          ELSE jsonb_build_object('shippingAddress', 'Street ' || g, 'email', 'c' || g || '@example.com')
            || CASE WHEN status = 'done' THEN jsonb_build_object('trackingCode', 'TRK' || g) ELSE '{}'::jsonb END END,
        CASE WHEN name = 'shipping' THEN ${shipping.version} ELSE ${welcome.version} END, 2, created,
        created + interval '1 minute'
      FROM bench_seed`.execute(tx);
    await sql`INSERT INTO joeflow_task
        (id, workflow_id, name, type, status, attempt, completed_by_user, created, modified, completed)
      SELECT t1, id, ${first}, 'human', 'succeeded', 1, 'clerk', created, created, created
      FROM bench_seed ORDER BY created`.execute(tx);
    await sql`INSERT INTO joeflow_task
        (id, workflow_id, name, type, status, attempt, completed_by_user, created, modified, completed)
      SELECT t2, id, CASE WHEN name = 'shipping' THEN 'ship' ELSE 'hasUser' END,
        CASE WHEN name = 'shipping' THEN 'human' ELSE 'machine' END,
        CASE status WHEN 'running' THEN 'scheduled' WHEN 'canceled' THEN 'canceled' ELSE 'succeeded' END, 1,
        CASE WHEN name = 'shipping' AND status = 'done' THEN 'warehouse' END, created, created + interval '1 minute',
        CASE WHEN status <> 'running' THEN created + interval '1 minute' END
      FROM bench_seed ORDER BY created`.execute(tx);
    await sql`INSERT INTO joeflow_task_parent (task_id, parent_id) SELECT t2, t1 FROM bench_seed`.execute(tx);
    await sql`INSERT INTO joeflow_state_change (workflow_id, task_id, task_name, user_id, at, before, after)
      SELECT id, t1, ${first}, 'clerk', created, NULL, (SELECT w.state FROM joeflow_workflow w WHERE w.id = s.id)
      FROM bench_seed s`.execute(tx);
  });
  await sql`ANALYZE joeflow_workflow, joeflow_task, joeflow_task_parent, joeflow_state_change`.execute(db);
}
