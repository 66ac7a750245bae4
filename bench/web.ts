/**
 * The web benchmark: the demo's ship form POST -> 303 beside its floors (bare Temporal updates on the
 * same dev server, in the same run), and the index page with 10,000 instances. See bench/README.md.
 *
 *   npx tsx bench/web.ts [--seconds 10] [--concurrency 20] [--solo 20] [--warmup 40] [--max 3000] [--rate N]
 *                        [--instances 10000] [--index-seconds 5] [--timeout 900] [--memory]
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { JoeflowDatabase } from "joeflow";
import { shipping } from "../examples/shipping.ts";
import { welcome } from "../examples/welcome.ts";
import { cpuNow, cpuSince, flag, option, runBench } from "./support/run.ts";
import { openDatabase, startDevServer } from "./support/servers.ts";
import { FLOOR_KINDS, FLOORS, type FloorKind, type Shop, startFloors, startShop } from "./web/apps.ts";
import { seedInbox } from "./web/inbox-data.ts";
import { seedInstances } from "./web/index-data.ts";
import { type Load, type LoadJob, startLoad } from "./web/load.ts";
import { type Phase, printPhase, summary } from "./web/report.ts";

const [seconds, users] = [option("seconds", 10), option("concurrency", 20)];
const [solo, warmup] = [option("solo", 20), option("warmup", 40)];
/** At most this many POSTs in the closed loop (each needs an order prepared beforehand). */
const max = option("max", 3000);
/** The paced runs' rate; 0: half the closed-loop POSTs' throughput, at most 1 per user per second. */
const rateOption = option("rate", 0);
const [instances, indexSeconds] = [option("instances", 10_000), option("index-seconds", 5)];
/** Open human tasks for the inbox phase; `--only-inbox` skips the floors, the POSTs and the index. */
const [inboxTasks, inboxSeconds, onlyInbox] = [
  option("inbox-tasks", 10_000),
  option("inbox-seconds", 10),
  flag("only-inbox"),
];
/** What the inbox's users ask, in turn: pages and the API, each scope, filters and a search. */
const INBOX_MIX = [
  "/inbox",
  "/inbox?scope=mine",
  "/api/inbox?scope=groups",
  "/inbox?scope=unassigned&workflow=shipping&task=ship",
  "/inbox?search=inbox+street%2C+town+42",
  "/api/inbox?scope=mine&search=TOWN+7",
  "/api/inbox?workflow=shipping",
];

type Rig = { db: Kysely<JoeflowDatabase>; load: Load; floorUrl: string; shop: Shop };
type Post = { path: string; body: string; location: string; workflowId: string; taskId: string };
const phases: Phase[] = [];
let now = "starting";
const settle = () => new Promise((r) => setTimeout(r, 1000)); // lets the machine calm down between phases
const job = (url: string, method: LoadJob["method"], path: string, status: number, headers = {}): LoadJob => {
  return { url, method, path, status, headers, connections: users };
};

await runBench(
  option("timeout", 900),
  async (cleanups) => {
    console.log(
      `bench/web.ts: ${users} users; per kind ${warmup} warm-up requests, ${solo} with 1 user, ` +
        `${seconds} s closed loop, ${seconds} s paced; index with ${instances} instances, ${indexSeconds} s per page`,
    );
    const { db } = await openDatabase(".data/bench-web-postgres", "joeflow_bench_web", cleanups);
    const env = await startDevServer(flag("memory"), "NORMAL", cleanups); // NORMAL: as the demo's server
    const load = await startLoad(cleanups);
    const [floorUrl, shop] = [await startFloors(env, db, users, cleanups), await startShop(env, db, cleanups)];
    const rig = { db, load, floorUrl, shop };
    console.log(`floors at ${rig.floorUrl}, the demo's web app at ${rig.shop.url}, signed in as warehouse`);
    const floor = (kind: FloorKind) => job(rig.floorUrl, "POST", `/floor/${kind}`, 204);

    if (!onlyInbox) await postsAndIndex(rig, floor);
    if (inboxTasks > 0) await inbox(rig);
    summary(phases, users);
  },
  () => `Running: ${now}.`,
);

/** The floors, the ship form's POSTs beside them, and the index page. */
async function postsAndIndex(rig: Rig, floor: (kind: FloorKind) => LoadJob): Promise<void> {
  const { db, load } = rig;
  const floorRps: Partial<Record<FloorKind, number>> = {}; // in the closed loop
  for (const kind of FLOOR_KINDS) {
    now = FLOORS[kind].what;
    console.log(`\n${now}`);
    await load({ ...floor(kind), amount: warmup });
    await measure(rig, now, kind, { ...floor(kind), connections: 1, amount: solo });
    floorRps[kind] = (await measure(rig, now, kind, { ...floor(kind), seconds })).rps;
  }
  now = "POST ship form";
  console.log(`\nPOST /shipping/ship/{taskId}/`);
  // A POST does all a local-db floor's update does and more, so half that floor's throughput leaves
  // room; a closed loop that uses its orders up just ends early.
  await post(rig, warmup, {}, true);
  await post(rig, solo, { connections: 1 });
  const closedLoop = await post(rig, Math.min(max, Math.ceil((floorRps["floor-local-db"]! * seconds) / 2) + 40), {});

  const rate = rateOption || Math.max(1, Math.min(users, Math.floor(closedLoop!.rps / 2)));
  console.log(`\npaced runs: ${rate} requests/s offered by ${users} users`);
  for (const kind of FLOOR_KINDS) await measure(rig, FLOORS[kind].what, kind, { ...floor(kind), seconds, rate });
  await post(rig, Math.ceil(rate * seconds), { rate });

  if (instances > 0) {
    now = "index";
    await seedInstances(db, instances, shipping.graph, welcome.graph);
    console.log(`\nindex: ${instances} instances written into the tables`);
    const page = (path: string) => job(rig.shop.url, "GET", path, 200, { cookie: rig.shop.cookie });
    await load({ ...page("/"), amount: warmup });
    for (const path of ["/", "/?name=shipping&status=running"]) {
      await measure(rig, `GET ${path}`, "index", { ...page(path), seconds: indexSeconds });
    }
  }
}

/** `--inbox-tasks` open ship tasks written into the tables, then the inbox's mix of pages and API calls. */
async function inbox(rig: Rig): Promise<void> {
  now = "inbox";
  await seedInbox(rig.db, inboxTasks, shipping.graph);
  const open = await sql<{ n: string }>`SELECT count(*) AS n FROM joeflow_task
    WHERE status = 'scheduled' AND type = 'human'`.execute(rig.db);
  console.log(
    `\ninbox: ${inboxTasks} open ship tasks written into the tables (${open.rows[0]!.n} open human tasks in all)`,
  );
  const mix = { ...job(rig.shop.url, "GET", "/inbox", 200, { cookie: rig.shop.cookie }), gets: INBOX_MIX };
  await rig.load({ ...mix, amount: warmup });
  await measure(rig, "inbox 1 user", "inbox", { ...mix, connections: 1, amount: solo });
  await measure(rig, `inbox mix (${INBOX_MIX.length} pages and calls)`, "inbox", { ...mix, seconds: inboxSeconds });
  // People, not a closed loop: each of the users asks for a page once a second (a reload, a tab, a filter).
  await measure(rig, "inbox mix, each user once a second", "inbox", {
    ...mix,
    seconds: inboxSeconds,
    rate: users,
    evenly: true,
  });
  for (const path of ["/inbox", "/api/inbox?scope=mine&search=TOWN+7"]) {
    await measure(rig, `GET ${path}`, "inbox", {
      ...job(rig.shop.url, "GET", path, 200, { cookie: rig.shop.cookie }),
      seconds: inboxSeconds / 2,
    });
  }
}

/** `count` ship form POSTs, checked in the tables; `warmUp`: not measured, but every answer must be right. */
async function post(rig: Rig, count: number, more: Partial<LoadJob>, warmUp = false): Promise<Phase | undefined> {
  const posts = await prepareOrders(rig, count);
  const headers = { cookie: rig.shop.cookie, "content-type": "application/x-www-form-urlencoded" };
  const postJob = { ...job(rig.shop.url, "POST", "/", 303, headers), amount: count, posts, ...more };
  const phase = warmUp ? undefined : await measure(rig, "POST ship form", "post", postJob);
  if (warmUp) {
    const r = await rig.load(postJob); // a wrong answer here is the bench's mistake (cookie, token, URL)
    if (r.wrong) throw new Error(`the warm-up POSTs got ${r.wrong} wrong answers, e.g. ${r.firstWrong}`);
    console.log(`  warm-up: ${count} POSTs`);
  }
  const missing = await checkPosted(rig.db, posts);
  if (phase) phase.errors = Math.max(phase.errors, missing);
  return phase;
}

/** Runs a job with the CPU time of every process counted around it; records and prints the phase. */
async function measure(rig: Rig, what: string, kind: Phase["kind"], job: LoadJob): Promise<Phase> {
  const cpu0 = cpuNow();
  const r = await rig.load(job);
  const [{ self, server, pg }, n, errors] = [cpuSince(cpu0), r.lat.length, r.wrong + r.errors];
  const [rps, cpu] = [n / (r.wallMs / 1000), (self + server + pg + r.cpuMs) / Math.max(1, n)];
  const phase: Phase = { what, kind, users: job.connections, rate: job.rate, lat: r.lat, errors, rps, cpu };
  printPhase(phase, r.wallMs, r.firstWrong);
  phases.push(phase);
  await settle();
  return phase;
}

/** `count` shipping orders started (`users` at a time) up to their open `ship` task, and the form POST of each. */
async function prepareOrders({ shop, db }: Rig, count: number): Promise<Post[]> {
  const ids: string[] = [];
  const order = { task: "checkout", state: { shippingAddress: "Bench street 1" }, user: "clerk" };
  let started = 0;
  const starter = async () => {
    while (started++ < count) ids.push((await shop.joeflow.start(shipping, order)).workflowId);
  };
  await Promise.all(Array.from({ length: Math.min(users, count) }, starter));
  const { rows } = await sql<{ id: string; workflow_id: string }>`SELECT id, workflow_id FROM joeflow_task
    WHERE workflow_id = ANY(${ids}) AND name = 'ship' AND status = 'scheduled'`.execute(db);
  if (rows.length !== ids.length) throw new Error(`${ids.length - rows.length} orders have no open ship task`);
  await settle();
  return rows.map((t, i) => ({
    path: `/shipping/ship/${t.id}/`,
    location: `/shipping/${t.workflow_id}/`,
    workflowId: t.workflow_id,
    taskId: t.id,
    body: new URLSearchParams({ _csrf: shop.csrf, trackingCode: `TRK-${Date.now()}-${i}` }).toString(),
  }));
}

/** The ship tasks must be succeeded by "warehouse" and their instances done within 60 s; returns how many were not. */
async function checkPosted(db: Kysely<JoeflowDatabase>, posts: readonly Post[]): Promise<number> {
  const [t0, ids, taskIds] = [performance.now(), posts.map((p) => p.workflowId), posts.map((p) => p.taskId)];
  const count = async (query: RawBuilder<unknown>) => Number(((await query.execute(db)).rows[0] as { n: string }).n);
  const done = () => count(sql`SELECT count(*) AS n FROM joeflow_workflow WHERE id = ANY(${ids}) AND status = 'done'`);
  let finished = await done();
  while (finished < posts.length && performance.now() - t0 < 60_000) {
    await new Promise((r) => setTimeout(r, 200));
    finished = await done();
  }
  const shipped = await count(sql`SELECT count(*) AS n FROM joeflow_task WHERE id = ANY(${taskIds})
    AND status = 'succeeded' AND completed_by_user = 'warehouse'`);
  console.log(
    `      checked: ${shipped} of ${posts.length} ship tasks succeeded by "warehouse"; ` +
      `${finished} of the instances finished within ${((performance.now() - t0) / 1000).toFixed(1)} s after the phase`,
  );
  return posts.length - Math.min(shipped, finished);
}
