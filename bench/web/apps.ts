/**
 * What bench/web.ts sends its requests to, each served on 127.0.0.1:0 in this process as in the demo
 * (examples/serve.ts, examples/embedded.ts):
 * - the shop: a joeflow worker for the demo's workflows and the demo's web app with its sign-in,
 *   signed in as "warehouse";
 * - the floors: POST /floor/{kind} runs one update of a floor workflow (floor-workflow.ts), so the
 *   floors pay for the same HTTP round trip as the forms do.
 */
import { randomBytes } from "node:crypto";
import type { TestWorkflowEnvironment } from "@temporalio/testing";
import type { WorkflowHandle } from "@temporalio/client";
import { Worker } from "@temporalio/worker";
import { Hono } from "hono";
import { type Kysely, sql } from "kysely";
import { createJoeflow, type JoeflowDatabase } from "joeflow";
import { createWorker } from "joeflow/worker";
import { createUrls, createWebApp } from "joeflow/web";
import { serveNode } from "joeflow/web/node";
import { demoAuth } from "../../web/demo-auth.ts";
import { createTemplates } from "../../web/templates.ts";
import { shipping } from "../../examples/shipping.ts";
import { welcome } from "../../examples/welcome.ts";
import type { Cleanups } from "../support/run.ts";
import { bundleWorkflows, runWorker } from "../support/servers.ts";
import { floorUpdate, stopSignal } from "./floor-workflow.ts";
import { BENCH_GROUPS } from "./inbox-data.ts";

/** Each kind's label and its workflow type. */
export const FLOORS = {
  "floor-bare": { what: "floor: bare update", type: "floorBare" },
  "floor-local-db": { what: "floor: update + local activity + PG tx", type: "floorLocalDb" },
} as const;
export type FloorKind = keyof typeof FLOORS;
export const FLOOR_KINDS = Object.keys(FLOORS) as FloorKind[];
type Env = TestWorkflowEnvironment;
type Db = Kysely<JoeflowDatabase>;

/** The floors' worker and `users` workflows of each kind (one per user: updates of a workflow wait for each other). */
export async function startFloors(env: Env, db: Db, users: number, cleanups: Cleanups) {
  await sql`CREATE TABLE bench_floor (key text PRIMARY KEY, n integer NOT NULL, value text);
    CREATE TABLE bench_floor_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key text NOT NULL, value text, at timestamptz NOT NULL)`.execute(db);
  const floorDb = ({ key, value }: { key: string; value: string }) =>
    db.transaction().execute(async (tx) => {
      await sql`SELECT n FROM bench_floor WHERE key = ${key} FOR UPDATE`.execute(tx);
      await sql`UPDATE bench_floor SET n = n + 1, value = ${value} WHERE key = ${key}`.execute(tx);
      await sql`INSERT INTO bench_floor_log (key, value, at) VALUES (${key}, ${value}, now())`.execute(tx);
      return value;
    });
  const workflowBundle = await bundleWorkflows(new URL("./floor-workflow.ts", import.meta.url));
  const [connection, taskQueue] = [env.nativeConnection, "bench-web-floor"];
  runWorker(await Worker.create({ connection, taskQueue, workflowBundle, activities: { floorDb } }), "floor", cleanups);
  const idle: Record<FloorKind, WorkflowHandle[]> = { "floor-bare": [], "floor-local-db": [] };
  const tag = Date.now().toString(36);
  for (let u = 0; u < users; u++) {
    const key = `floor-${tag}-${u}`;
    await sql`INSERT INTO bench_floor (key, n) VALUES (${key}, 0)`.execute(db);
    for (const kind of FLOOR_KINDS) {
      const [type, workflowId] = [FLOORS[kind].type, `${key}-${kind}`];
      idle[kind].push(await env.client.workflow.start(type, { taskQueue, workflowId, args: [key] }));
    }
  }
  const handles = Object.values(idle).flat();
  cleanups.add("stop the floor workflows", () => Promise.allSettled(handles.map((h) => h.signal(stopSignal))));
  const served = await serveNode(floorApp(idle), { port: 0 });
  cleanups.add("close the floors' web server", () => served.close());
  return served.url;
}

/** POST /floor/{kind}: one update of a workflow of that kind that no other request is using. */
function floorApp(idle: Record<FloorKind, WorkflowHandle[]>): Hono {
  let seq = 0;
  return new Hono().post("/floor/:kind", async (c) => {
    const free = idle[c.req.param("kind") as FloorKind];
    const handle = free?.pop();
    if (!handle) return c.text("no such floor, or no workflow free", 503);
    try {
      const value = `v${seq++}`;
      const answer = await handle.executeUpdate(floorUpdate, { args: [value] });
      return answer === value ? c.body(null, 204) : c.text("wrong answer", 500);
    } finally {
      free!.push(handle);
    }
  });
}

/** The demo's sign-in as "warehouse": its cookies, and the CSRF token every form sends back. */
async function signIn(url: string): Promise<{ cookie: string; csrf: string }> {
  const csrf = randomBytes(32).toString("base64url"); // the CSRF cookie is any 43-character base64url token
  const response = await fetch(`${url}/signin`, {
    method: "POST",
    headers: { cookie: `joeflow_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, name: "warehouse", next: "/" }).toString(),
    redirect: "manual",
  });
  await response.arrayBuffer();
  const user = response.headers.getSetCookie().find((c) => c.startsWith("joeflow_user="));
  if (response.status !== 303 || !user) throw new Error(`sign-in failed: ${response.status}`);
  return { cookie: `joeflow_csrf=${csrf}; ${user.split(";")[0]}`, csrf };
}

export async function startShop(env: Env, db: Db, cleanups: Cleanups) {
  const [workflows, taskQueue] = [[welcome, shipping], "bench-web"];
  runWorker(await createWorker({ connection: env.nativeConnection, db, workflows, taskQueue }), "shop's", cleanups);
  const joeflow = createJoeflow({ db, temporal: env.client, workflows, taskQueue });
  const { auth, routes, signInUrl, signOutUrl } = demoAuth();
  const extend = (app: Hono) => routes(app, createTemplates(), createUrls());
  // The demo's sign-in, and groups for the inbox's "my groups".
  const withGroups = { ...auth, groups: (user: string) => BENCH_GROUPS[user] ?? [] };
  const app = createWebApp({ joeflow, workflows, auth: withGroups, signInUrl, signOutUrl, extend });
  const served = await serveNode(app, { port: 0 });
  cleanups.add("close the shop's web server", () => served.close());
  return { joeflow, url: served.url, ...(await signIn(served.url)) };
}

export type Shop = Awaited<ReturnType<typeof startShop>>;
