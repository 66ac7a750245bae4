/**
 * The index benchmark's data: N instances written straight into joeflow's tables in a few bulk
 * statements (rather than running N workflows), shaped as joeflow writes them
 * (src/activities/instance.ts, src/activities/messages.ts): the graph rows, a workflow row each,
 * its finished start task, a second task linked to it, and the start's state change.
 *
 * Mix: 60 % shipping (30 % running with `ship` open, 60 % done, 10 % canceled), 40 % welcome (done);
 * created spread over the last 30 days. Deterministic for a given seed (PostgreSQL's setseed).
 */
import type pg from "pg";
import type { CompiledGraph } from "../../src/graph/types.ts";

export async function seedInstances(
  pool: pg.Pool, n: number, graphs: { shipping: CompiledGraph; welcome: CompiledGraph }, seed = 0.42,
): Promise<{ ms: number; counts: Record<string, number> }> {
  const t0 = performance.now();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT setseed($1)", [seed]);
    for (const graph of [graphs.shipping, graphs.welcome]) {
      await client.query(
        `INSERT INTO joeflow_graph (version, name, graph, created) VALUES ($1, $2, $3, now()) ON CONFLICT (version) DO NOTHING`,
        [graph.version, graph.name, JSON.stringify(graph)],
      );
    }
    await client.query(`
      CREATE TEMP TABLE bench_seed ON COMMIT DROP AS
      SELECT g,
        gen_random_uuid()::text AS id,
        gen_random_uuid()::text AS t1,
        gen_random_uuid()::text AS t2,
        CASE WHEN g % 5 < 3 THEN 'shipping' ELSE 'welcome' END AS name,
        date_trunc('milliseconds', now() - interval '1 hour' - random() * interval '30 days') AS created,
        random() AS r
      FROM generate_series(1, $1::int) AS g`, [n]);
    await client.query(`
      ALTER TABLE bench_seed ADD COLUMN status text;
      UPDATE bench_seed SET status = CASE WHEN name = 'welcome' THEN 'done' WHEN r < 0.3 THEN 'running'
        WHEN r < 0.9 THEN 'done' ELSE 'canceled' END`);
    await client.query(`
      INSERT INTO joeflow_workflow (id, name, status, state, graph_version, revision, created, modified)
      SELECT id, name, status,
        CASE WHEN name = 'shipping'
          THEN jsonb_build_object('shippingAddress', 'Street ' || g, 'email', 'c' || g || '@example.com')
            || CASE WHEN status = 'done' THEN jsonb_build_object('trackingCode', 'TRK' || g) ELSE '{}'::jsonb END
          ELSE jsonb_build_object('user', 'ann') END,
        CASE WHEN name = 'shipping' THEN $1 ELSE $2 END,
        2, created, created + interval '1 minute'
      FROM bench_seed`, [graphs.shipping.version, graphs.welcome.version]);
    // The start task (human start view), then the task after it.
    await client.query(`
      INSERT INTO joeflow_task (id, workflow_id, name, type, status, attempt, completed_by_user, created, modified, completed)
      SELECT t1, id, CASE WHEN name = 'shipping' THEN 'checkout' ELSE 'start' END, 'human', 'succeeded', 1, 'clerk',
        created, created, created
      FROM bench_seed ORDER BY created`);
    await client.query(`
      INSERT INTO joeflow_task (id, workflow_id, name, type, status, attempt, completed_by_user, created, modified, completed)
      SELECT t2, id,
        CASE WHEN name = 'shipping' THEN 'ship' ELSE 'hasUser' END,
        CASE WHEN name = 'shipping' THEN 'human' ELSE 'machine' END,
        CASE WHEN status = 'running' THEN 'scheduled' WHEN status = 'canceled' THEN 'canceled' ELSE 'succeeded' END,
        1,
        CASE WHEN name = 'shipping' AND status = 'done' THEN 'warehouse' ELSE NULL END,
        created, created + interval '1 minute',
        CASE WHEN status = 'running' THEN NULL ELSE created + interval '1 minute' END
      FROM bench_seed ORDER BY created`);
    await client.query(`INSERT INTO joeflow_task_parent (task_id, parent_id) SELECT t2, t1 FROM bench_seed`);
    await client.query(`
      INSERT INTO joeflow_state_change (workflow_id, task_id, task_name, user_id, at, before, after)
      SELECT s.id, s.t1, CASE WHEN s.name = 'shipping' THEN 'checkout' ELSE 'start' END, 'clerk', s.created, NULL, w.state
      FROM bench_seed s JOIN joeflow_workflow w ON w.id = s.id`);
    const counts = await client.query<{ name: string; status: string; n: string }>(
      `SELECT name, status, count(*) AS n FROM bench_seed GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    await client.query("COMMIT");
    await client.query("ANALYZE joeflow_workflow, joeflow_task, joeflow_task_parent, joeflow_state_change");
    return {
      ms: performance.now() - t0,
      counts: Object.fromEntries(counts.rows.map((r) => [`${r.name}/${r.status}`, Number(r.n)])),
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
