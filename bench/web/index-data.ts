/**
 * The index page's data: N instances written straight into joeflow's tables in a few statements
 * (running N workflows would take many minutes), shaped as joeflow writes them: the graph rows, a
 * workflow row each, its finished start task, a second task linked to it, and the start's state change.
 * Mix: 60 % shipping (30 % running with `ship` open, 60 % done, 10 % canceled), 40 % welcome (done),
 * created over the last 30 days; the same for a given seed (PostgreSQL's setseed).
 */
import type pg from "pg";
import type { CompiledGraph } from "joeflow";

export async function seedInstances(
  pool: pg.Pool,
  n: number,
  graphs: { shipping: CompiledGraph; welcome: CompiledGraph },
): Promise<void> {
  const client = await pool.connect();
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  try {
    await q("BEGIN");
    await q("SELECT setseed(0.42)");
    for (const graph of [graphs.shipping, graphs.welcome]) {
      await q(
        "INSERT INTO joeflow_graph (version, name, graph, created) VALUES ($1, $2, $3, now()) " +
          "ON CONFLICT (version) DO NOTHING",
        [graph.version, graph.name, JSON.stringify(graph)],
      );
    }
    await q(
      `CREATE TEMP TABLE bench_seed ON COMMIT DROP AS
      SELECT g, id, gen_random_uuid()::text AS t1, gen_random_uuid()::text AS t2, name, created,
        CASE WHEN name = 'welcome' THEN 'done' WHEN r < 0.3 THEN 'running' WHEN r < 0.9 THEN 'done'
          ELSE 'canceled' END AS status
      FROM (SELECT g, gen_random_uuid()::text AS id, CASE WHEN g % 5 < 3 THEN 'shipping' ELSE 'welcome' END AS name,
        date_trunc('milliseconds', now() - interval '1 hour' - random() * interval '30 days') AS created, random() AS r
        FROM generate_series(1, $1::int) AS g) AS s`,
      [n],
    );
    await q(
      `INSERT INTO joeflow_workflow (id, name, status, state, graph_version, revision, created, modified)
      SELECT id, name, status,
        CASE WHEN name = 'welcome' THEN jsonb_build_object('user', 'ann')
          ELSE jsonb_build_object('shippingAddress', 'Street ' || g, 'email', 'c' || g || '@example.com')
            || CASE WHEN status = 'done' THEN jsonb_build_object('trackingCode', 'TRK' || g) ELSE '{}'::jsonb END END,
        CASE WHEN name = 'shipping' THEN $1 ELSE $2 END, 2, created, created + interval '1 minute'
      FROM bench_seed`,
      [graphs.shipping.version, graphs.welcome.version],
    );
    // The start task (a human start view), then the task after it.
    await q(`INSERT INTO joeflow_task
        (id, workflow_id, name, type, status, attempt, completed_by_user, created, modified, completed)
      SELECT t1, id, CASE WHEN name = 'shipping' THEN 'checkout' ELSE 'start' END, 'human', 'succeeded', 1, 'clerk',
        created, created, created
      FROM bench_seed ORDER BY created`);
    await q(`INSERT INTO joeflow_task
        (id, workflow_id, name, type, status, attempt, completed_by_user, created, modified, completed)
      SELECT t2, id, CASE WHEN name = 'shipping' THEN 'ship' ELSE 'hasUser' END,
        CASE WHEN name = 'shipping' THEN 'human' ELSE 'machine' END,
        CASE status WHEN 'running' THEN 'scheduled' WHEN 'canceled' THEN 'canceled' ELSE 'succeeded' END, 1,
        CASE WHEN name = 'shipping' AND status = 'done' THEN 'warehouse' END, created, created + interval '1 minute',
        CASE WHEN status <> 'running' THEN created + interval '1 minute' END
      FROM bench_seed ORDER BY created`);
    await q(`INSERT INTO joeflow_task_parent (task_id, parent_id) SELECT t2, t1 FROM bench_seed`);
    await q(`INSERT INTO joeflow_state_change (workflow_id, task_id, task_name, user_id, at, before, after)
      SELECT s.id, s.t1, CASE WHEN s.name = 'shipping' THEN 'checkout' ELSE 'start' END, 'clerk', s.created, NULL,
        w.state
      FROM bench_seed s JOIN joeflow_workflow w ON w.id = s.id`);
    await q("COMMIT");
    await q("ANALYZE joeflow_workflow, joeflow_task, joeflow_task_parent, joeflow_state_change");
  } catch (error) {
    await q("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
