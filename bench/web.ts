/**
 * The web benchmark: the demo's ship form POST -> 303 beside its floors (bare Temporal updates on the
 * same dev server, in the same run), and the index page with 10,000 instances. See bench/README.md.
 *
 *   npx tsx bench/web.ts [--seconds 10] [--concurrency 20] [--solo 20] [--warmup 40] [--max 3000] [--rate N]
 *                        [--instances 10000] [--index-seconds 5] [--timeout 900] [--memory]
 */
import type { Kysely } from "kysely";
import type { JoeflowDatabase } from "joeflow";
import { shipping } from "../examples/shipping.ts";
import { welcome } from "../examples/welcome.ts";
import { cpuNow, cpuSince, flag, option, runBench } from "./support/run.ts";
import { openDatabase, startDevServer } from "./support/servers.ts";
import { FLOOR_KINDS, FLOORS, type FloorKind, type Shop, startFloors, startShop } from "./web/apps.ts";
import { seedInstances } from "./web/index-data.ts";
import { type LoadJob, type LoadResult, startLoad } from "./web/load.ts";
import { type Phase, printPhase, summary } from "./web/report.ts";

const options = {
  seconds: option("seconds", 10),
  concurrency: option("concurrency", 20),
  solo: option("solo", 20),
  warmup: option("warmup", 40),
  /** At most this many POSTs in the closed loop (each needs an order prepared beforehand). */
  max: option("max", 3000),
  /** The paced runs' rate; 0: half the closed-loop POSTs' throughput, at most 1 per user per second. */
  rate: option("rate", 0),
  instances: option("instances", 10_000),
  indexSeconds: option("index-seconds", 5),
  timeoutS: option("timeout", 900),
  memory: flag("memory"),
};
const phases: Phase[] = [];
let now = "starting";

const settle = () => new Promise((r) => setTimeout(r, 1000)); // lets the machine calm down between phases

await runBench(
  options.timeoutS,
  async (cleanups) => {
    const { concurrency: users, seconds, solo, warmup } = options;
    console.log(
      `bench/web.ts: ${users} users; per kind ${warmup} warm-up requests, ${solo} with 1 user, ` +
        `${seconds} s closed loop, ${seconds} s paced; ` +
        `index with ${options.instances} instances, ${options.indexSeconds} s per page`,
    );
    const { db, pool } = await openDatabase({ dir: ".data/bench-web-postgres" }, "joeflow_bench_web", cleanups);
    const env = await startDevServer(options.memory, "NORMAL", cleanups); // NORMAL: as the demo's server
    const load = await startLoad(cleanups);
    const rig: Rig = {
      db,
      load,
      floorUrl: await startFloors(env, db, users, cleanups),
      shop: await startShop(env, db, cleanups),
    };
    console.log(`floors at ${rig.floorUrl}, the demo's web app at ${rig.shop.url}, signed in as warehouse`);

    const floorRps: Partial<Record<FloorKind, number>> = {}; // in the closed loop
    for (const kind of FLOOR_KINDS) {
      now = FLOORS[kind];
      console.log(`\n${FLOORS[kind]}`);
      await load(floorJob(rig, kind, { amount: warmup }));
      await measure(rig, FLOORS[kind], kind, floorJob(rig, kind, { connections: 1, amount: solo }));
      floorRps[kind] = (await measure(rig, FLOORS[kind], kind, floorJob(rig, kind, { seconds }))).rps;
    }
    now = "POST ship form";
    console.log(`\nPOST /shipping/ship/{taskId}/`);
    // A POST does all a local-db floor's update does and more, so half that floor's throughput leaves
    // room; a closed loop that uses its orders up just ends early.
    await post(rig, warmup, {}, true);
    await post(rig, solo, { connections: 1 });
    const closedLoop = await post(
      rig,
      Math.min(options.max, Math.ceil((floorRps["floor-local-db"]! * seconds) / 2) + 40),
      {},
    );

    const rate = options.rate || Math.max(1, Math.min(users, Math.floor(closedLoop!.rps / 2)));
    console.log(`\npaced runs: ${rate} requests/s offered by ${users} users`);
    for (const kind of FLOOR_KINDS) await measure(rig, FLOORS[kind], kind, floorJob(rig, kind, { seconds, rate }));
    await post(rig, Math.ceil(rate * seconds), { rate });

    if (options.instances > 0) {
      now = "index";
      await seedInstances(pool, options.instances, { shipping: shipping.graph, welcome: welcome.graph });
      console.log(`\nindex: ${options.instances} instances written into the tables`);
      const page = (path: string, job: Partial<LoadJob>): LoadJob => ({
        url: rig.shop.url,
        method: "GET",
        path,
        headers: { cookie: rig.shop.cookie },
        status: 200,
        connections: users,
        ...job,
      });
      await load(page("/", { amount: warmup }));
      for (const path of ["/", "/?name=shipping&status=running"]) {
        await measure(rig, `GET ${path}`, "index", page(path, { seconds: options.indexSeconds }));
      }
    }
    summary(phases, users);
  },
  () => `Running: ${now}.`,
);

interface Rig {
  db: Kysely<JoeflowDatabase>;
  load: (job: LoadJob) => Promise<LoadResult>;
  floorUrl: string;
  shop: Shop;
}

function floorJob(rig: Rig, kind: FloorKind, job: Partial<LoadJob>): LoadJob {
  return {
    url: rig.floorUrl,
    method: "POST",
    path: `/floor/${kind}`,
    headers: {},
    status: 204,
    connections: options.concurrency,
    ...job,
  };
}

/** `count` ship form POSTs, checked in the tables; `warmUp`: not measured, but every answer must be right. */
async function post(rig: Rig, count: number, job: Partial<LoadJob>, warmUp = false): Promise<Phase | undefined> {
  const posts = await prepareOrders(rig, count);
  const postJob: LoadJob = {
    url: rig.shop.url,
    method: "POST",
    path: "/",
    headers: { cookie: rig.shop.cookie, "content-type": "application/x-www-form-urlencoded" },
    status: 303,
    connections: options.concurrency,
    amount: count,
    posts,
    ...job,
  };
  if (warmUp) {
    const r = await rig.load(postJob); // a wrong answer here is the bench's mistake (cookie, token, URL)
    if (r.wrong) throw new Error(`the warm-up POSTs got ${r.wrong} wrong answers, e.g. ${r.firstWrong}`);
    console.log(`  warm-up: ${count} POSTs`);
  }
  const phase = warmUp ? undefined : await measure(rig, "POST ship form", "post", postJob);
  const missing = await checkPosted(rig.db, posts);
  if (phase) phase.errors = Math.max(phase.errors, missing);
  return phase;
}

/** Runs a job with the CPU time of every process counted around it; records and prints the phase. */
async function measure(rig: Rig, what: string, kind: Phase["kind"], job: LoadJob): Promise<Phase> {
  const cpu0 = cpuNow();
  const r = await rig.load(job);
  const cpu = cpuSince(cpu0);
  const n = r.lat.length;
  const phase: Phase = {
    what,
    kind,
    users: job.connections,
    rate: job.rate,
    lat: r.lat,
    errors: r.wrong + r.errors,
    rps: n / (r.wallMs / 1000),
    cpu: (cpu.self + cpu.server + cpu.pg + r.cpuMs) / Math.max(1, n),
  };
  printPhase(phase, r.wallMs, r.firstWrong);
  phases.push(phase);
  await settle();
  return phase;
}

interface Post {
  path: string;
  body: string;
  location: string;
  workflowId: string;
  taskId: string;
}

/**
 * `count` shipping orders started (`concurrency` at a time) up to their open `ship` task, and the
 * form POST of each.
 */
async function prepareOrders({ shop, db }: Rig, count: number): Promise<Post[]> {
  const ids: string[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, count) }, async () => {
      while (started++ < count) {
        ids.push(
          (
            await shop.joeflow.start(shipping, {
              task: "checkout",
              state: { shippingAddress: "Bench street 1" },
              user: "clerk",
            })
          ).workflowId,
        );
      }
    }),
  );
  const ship = await db
    .selectFrom("joeflow_task")
    .select(["id", "workflow_id"])
    .where("workflow_id", "in", ids)
    .where("name", "=", "ship")
    .where("status", "=", "scheduled")
    .execute();
  if (ship.length !== ids.length) throw new Error(`${ids.length - ship.length} orders have no open ship task`);
  await settle();
  return ship.map((t, i) => ({
    path: `/shipping/ship/${t.id}/`,
    location: `/shipping/${t.workflow_id}/`,
    workflowId: t.workflow_id,
    taskId: t.id,
    body: new URLSearchParams({ _csrf: shop.csrf, trackingCode: `TRK-${Date.now()}-${i}` }).toString(),
  }));
}

/**
 * The posted ship tasks must be succeeded by "warehouse" and their instances finish (hasEmail, end)
 * within 60 s; returns how many did not.
 */
async function checkPosted(db: Kysely<JoeflowDatabase>, posts: readonly Post[]): Promise<number> {
  const t0 = performance.now();
  const done = async () =>
    Number(
      (
        await db
          .selectFrom("joeflow_workflow")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .where(
            "id",
            "in",
            posts.map((p) => p.workflowId),
          )
          .where("status", "=", "done")
          .executeTakeFirstOrThrow()
      ).n,
    );
  let finished = await done();
  while (finished < posts.length && performance.now() - t0 < 60_000) {
    await new Promise((r) => setTimeout(r, 200));
    finished = await done();
  }
  const shipped = Number(
    (
      await db
        .selectFrom("joeflow_task")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where(
          "id",
          "in",
          posts.map((p) => p.taskId),
        )
        .where("status", "=", "succeeded")
        .where("completed_by_user", "=", "warehouse")
        .executeTakeFirstOrThrow()
    ).n,
  );
  console.log(
    `      checked: ${shipped} of ${posts.length} ship tasks succeeded by "warehouse"; ` +
      `${finished} of the instances finished within ${((performance.now() - t0) / 1000).toFixed(1)} s after the phase`,
  );
  return posts.length - Math.min(shipped, finished);
}
