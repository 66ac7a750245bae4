/**
 * Idle instances: `--idle` shipping orders (10,000) started through joeflow and left waiting in their
 * human task, with ONE worker. Reports how fast they start (through update-with-start, `--start-users`
 * at a time), the memory of this process (the worker, the client and the web app) before and after,
 * and the latency of the front page and the inbox over them. See bench/README.md.
 *
 *   npx tsx bench/idle.ts [--idle 10000] [--start-users 50] [--seconds 10] [--timeout 1800] [--memory]
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createJoeflow } from "joeflow";
import { createWorker } from "joeflow/worker";
import { createWebApp } from "joeflow/web";
import { serveNode } from "joeflow/web/node";
import { shipping } from "../examples/shipping.ts";
import { welcome } from "../examples/welcome.ts";
import { cpuNow, cpuSince, dist, flag, ms, option, percentile, runBench, sec } from "./support/run.ts";
import { openDatabase, runWorker, startDevServer } from "./support/servers.ts";
import { startLoad } from "./web/load.ts";

const [idle, startUsers, seconds] = [
  option("idle", 10_000),
  Math.max(1, option("start-users", 50)),
  option("seconds", 10),
];
let now = "starting";

/** Memory after a full collection, so that garbage does not count. */
function memory(): { rss: number; heap: number } {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: rss / 2 ** 20, heap: heapUsed / 2 ** 20 };
}
const mib = (m: { rss: number; heap: number }) => `RSS ${m.rss.toFixed(0)} MiB, heap ${m.heap.toFixed(0)} MiB`;

await runBench(
  option("timeout", 1800),
  async (cleanups) => {
    console.log(`bench/idle.ts: ${idle} shipping orders waiting in their "ship" task, one worker`);
    const { db } = await openDatabase(".data/bench-postgres", "joeflow_bench_idle", cleanups);
    const env = await startDevServer(flag("memory"), "NORMAL", cleanups);
    const [workflows, taskQueue] = [[shipping, welcome], "bench-idle"];
    runWorker(await createWorker({ connection: env.nativeConnection, db, workflows, taskQueue }), "idle", cleanups);
    const joeflow = createJoeflow({ db, temporal: env.client, workflows, taskQueue });
    const served = await serveNode(createWebApp({ joeflow, workflows }), { port: 0 });
    cleanups.add("close the web server", () => served.close());
    const load = await startLoad(cleanups);
    await joeflow.start(shipping, { state: { shippingAddress: "warm-up" }, user: "clerk" });
    const before = memory();
    console.log(`memory before: ${mib(before)}`);

    now = `starting ${idle} orders`;
    const [latencies, cpu0, t0] = [[] as number[], cpuNow(), performance.now()];
    let next = 0;
    const user = async () => {
      while (next < idle) {
        const i = next++;
        const t = performance.now();
        await joeflow.start(shipping, { state: { shippingAddress: `${i} Idle Street` }, user: "clerk" });
        latencies.push(performance.now() - t);
        if ((i + 1) % 1000 === 0) console.log(`  ${i + 1} started (${sec(performance.now() - t0)})`);
      }
    };
    await Promise.all(Array.from({ length: startUsers }, user));
    const [wallMs, cpu] = [performance.now() - t0, cpuSince(cpu0)];
    console.log(
      `starts: ${idle} in ${sec(wallMs)}, ${(idle / (wallMs / 1000)).toFixed(1)}/s with ${startUsers} at a time; ` +
        `latency ${dist(latencies)}; CPU per start: this process ${ms(cpu.self / idle)}, ` +
        `dev server ${ms(cpu.server / idle)}, PostgreSQL ${ms(cpu.pg / idle)}`,
    );
    const open = await joeflow.inbox({ user: null, limit: 1 });
    if (open.counts.all < idle) throw new Error(`only ${open.counts.all} open ship tasks after ${idle} starts`);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // the last workflow tasks settle
    const after = memory();
    const grown = after.rss - before.rss;
    const each = `${((grown * 1024) / idle).toFixed(1)} KiB each`;
    console.log(`memory with ${idle} idle instances: ${mib(after)} (+${grown.toFixed(0)} MiB, ${each})`);

    now = "the pages";
    for (const path of ["/", "/inbox", "/api/inbox"]) {
      const get = { url: served.url, method: "GET" as const, path, headers: {}, status: 200, gets: [path] };
      const solo = await load({ ...get, connections: 1, amount: 50 });
      const paced = await load({ ...get, connections: 20, rate: 20, seconds, evenly: true });
      if (solo.wrong || paced.wrong || solo.errors || paced.errors) throw new Error(`${path}: ${paced.firstWrong}`);
      const p = (values: number[], q: number) => ms(percentile(values, q));
      console.log(
        `GET ${path.padEnd(11)} 1 user: p50 ${p(solo.lat, 50)} p99 ${p(solo.lat, 99)}; ` +
          `20 users, each once a second: p50 ${p(paced.lat, 50)} p99 ${p(paced.lat, 99)}`,
      );
    }
  },
  () => `Running: ${now}.`,
);
