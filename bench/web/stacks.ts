/**
 * A stack per database the POSTs run on: the database, a joeflow worker on its own task queue, and the
 * demo's web app (its sign-in, web/node.ts on 127.0.0.1:0), signed in as "warehouse".
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Client } from "@temporalio/client";
import type { NativeConnection } from "@temporalio/worker";
import { Kysely, PGliteDialect } from "kysely";
import type pg from "pg";
import { createJoeflow, type Joeflow, migrateToLatest } from "joeflow";
import { createWorker } from "joeflow/worker";
import { createWebApp } from "joeflow/web";
import type { JoeflowDatabase } from "../../src/store/schema.ts";
import type { Auth } from "../../web/auth.ts";
import { demoAuth } from "../../web/demo-auth.ts";
import { serveNode, type Served } from "../../web/node.ts";
import { createTemplates } from "../../web/templates.ts";
import { createUrls } from "../../web/urls.ts";
import { shipping } from "../../examples/shipping.ts";
import { welcome } from "../../examples/welcome.ts";
import type { Cleanups } from "../support/lifecycle.ts";
import type { DbKind } from "./options.ts";
import { kyselyLog, span, timedApp, timedJoeflow, timing } from "./tracing.ts";

export interface Stack {
  kind: DbKind;
  label: string;
  db: Kysely<JoeflowDatabase>;
  /** PostgreSQL's pool (none for PGlite), sampled for callers waiting for a connection. */
  pool?: pg.Pool;
  joeflow: Joeflow;
  served: Served;
  /** The signed-in user's cookies, and the CSRF token the forms send back. */
  headers: Record<string, string>;
  csrf: string;
}

async function signIn(base: string): Promise<{ headers: Record<string, string>; csrf: string }> {
  // The CSRF cookie is any 43-character base64url token; the form must send the same one back.
  const csrf = randomBytes(32).toString("base64url");
  const response = await fetch(`${base}/signin`, {
    method: "POST",
    headers: { cookie: `joeflow_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, name: "warehouse", next: "/" }).toString(),
    redirect: "manual",
  });
  await response.arrayBuffer();
  const user = response.headers.getSetCookie().find((c) => c.startsWith("joeflow_user="))?.split(";")[0];
  if (response.status !== 303 || !user) throw new Error(`sign-in failed: ${response.status}`);
  return { headers: { cookie: `joeflow_csrf=${csrf}; ${user}` }, csrf };
}

/** PGlite in a temporary folder (the demo's own database), with joeflow's tables. */
async function openPglite(cleanups: Cleanups): Promise<Kysely<JoeflowDatabase>> {
  const dir = mkdtempSync(join(tmpdir(), "joeflow-bench-web-pglite-"));
  const pglite = new PGlite(join(dir, "pglite"));
  const db = new Kysely<JoeflowDatabase>({ dialect: new PGliteDialect({ pglite }), log: kyselyLog });
  cleanups.add("close PGlite", async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  await migrateToLatest(db);
  return db;
}

/** The demo's web app on this joeflow client, with requests and the sign-in check (span "auth.user") timed. */
function demoApp(joeflow: Joeflow) {
  const signInKit = demoAuth();
  const auth: Auth = { ...signInKit.auth, user: (c) => span("auth.user", async () => await signInKit.auth.user(c)) };
  const app = createWebApp({
    joeflow,
    workflows: [welcome, shipping],
    auth,
    signInUrl: signInKit.signInUrl,
    signOutUrl: signInKit.signOutUrl,
    extend: (a) => signInKit.routes(a, createTemplates(), createUrls()),
  });
  return timedApp(app);
}

export async function startStack(
  kind: DbKind, temporal: { connection: NativeConnection; client: Client }, postgres: { db: Kysely<JoeflowDatabase>; pool: pg.Pool },
  cleanups: Cleanups,
): Promise<Stack> {
  const db = kind === "pglite" ? await openPglite(cleanups) : postgres.db;
  const taskQueue = `bench-web-${kind}`;
  const worker = await createWorker({
    connection: temporal.connection, db, workflows: [welcome, shipping], taskQueue,
    temporal: { interceptors: { activity: [timing] } },
  });
  const running = worker.run();
  cleanups.add(`shut the ${kind} worker down`, async () => {
    worker.shutdown();
    await running;
  });
  const joeflow = timedJoeflow(createJoeflow({ db, temporal: temporal.client, workflows: [welcome, shipping], taskQueue }));
  const served = await serveNode(demoApp(joeflow), { port: 0, hostname: "127.0.0.1" });
  cleanups.add(`close the ${kind} web server`, () => served.close());
  const { headers, csrf } = await signIn(served.url);
  console.log(`${kind}: worker on ${taskQueue}, web app at ${served.url}, signed in as warehouse`);
  const label = kind === "pglite" ? "PGlite, the demo's database" : "PostgreSQL";
  return { kind, label, db, pool: kind === "postgres" ? postgres.pool : undefined, joeflow, served, headers, csrf };
}
