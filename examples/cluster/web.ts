/**
 * A web process of a scaled-out deployment: run several behind a load balancer. It reads from
 * PostgreSQL and sends every change to the instance's workflow through the Temporal cluster, so the
 * processes share nothing but those two and the secret that signs the sign-in cookie. The demo sign-in
 * keeps its sessions in PostgreSQL (table joeflow_demo_session), so that a sign-in is good on every
 * process and a sign-out ends it on all of them.
 *
 *   DATABASE_URL=postgres://… TEMPORAL_ADDRESS=temporal:7233 JOEFLOW_SECRET=… PORT=3000 \
 *     node --import tsx examples/cluster/web.ts
 *
 * The sign-in here is the demo's (a name, trusted): plug your own Auth in as the README shows.
 */
import process from "node:process";
import { Client, Connection } from "@temporalio/client";
import { createJoeflow, type JoeflowDatabase } from "joeflow";
import { type Kysely, sql } from "kysely";
import { createWebApp } from "joeflow/web";
import { serveNode } from "joeflow/web/node";
import { DEMO_GROUPS, type DemoSession, demoAuth, type SessionStore } from "../../web/demo-auth.ts";
import { createTemplates } from "../../web/templates.ts";
import { createUrls } from "../../web/urls.ts";
import { shipping } from "../shipping.ts";
import { welcome } from "../welcome.ts";
import { onShutdown } from "../shutdown.ts";
import { openDatabase, readConfig } from "./config.ts";

const config = readConfig();
const secret = process.env.JOEFLOW_SECRET;
if (!secret || secret.length < 32) {
  throw new Error("Set JOEFLOW_SECRET to the same random text of 32 characters or more on every web process");
}
const db = openDatabase(config);
const connection = await Connection.connect({ address: config.temporalAddress });
const temporal = new Client({ connection, namespace: config.namespace });
const joeflow = createJoeflow({ db, temporal, workflows: [welcome, shipping], taskQueue: config.taskQueue });
const signIn = demoAuth({ secret, sessions: await postgresSessions(db), requireSignIn: true, groups: DEMO_GROUPS });
const app = createWebApp({
  joeflow,
  workflows: [welcome, shipping],
  auth: signIn.auth,
  signInUrl: signIn.signInUrl,
  signOutUrl: signIn.signOutUrl,
  extend: (app) => signIn.routes(app, createTemplates(), createUrls()),
});
const server = await serveNode(app, {
  port: Number(process.env.PORT ?? 3000),
  hostname: process.env.HOST ?? "0.0.0.0",
});
onShutdown(async () => {
  await server.close(); // stops taking requests and lets those in flight finish
  await connection.close();
  await db.destroy();
});
console.log(`joeflow web: ${server.url}`);

/** The demo sign-in's live sessions, in the database every web process shares. */
async function postgresSessions(db: Kysely<JoeflowDatabase>): Promise<SessionStore> {
  await db.transaction().execute(async (trx) => {
    // Web processes start together: one creates the table while the others wait for the lock.
    await sql`select pg_advisory_xact_lock(hashtext('joeflow_demo_session'))`.execute(trx);
    await sql`create table if not exists joeflow_demo_session (
      id text primary key, user_id text not null, expires timestamptz not null)`.execute(trx);
  });
  return {
    async add(session) {
      await sql`delete from joeflow_demo_session where expires <= now()`.execute(db);
      await sql`insert into joeflow_demo_session (id, user_id, expires)
        values (${session.id}, ${session.user}, ${session.expires})`.execute(db);
    },
    async get(id): Promise<DemoSession | undefined> {
      const { rows } = await sql<{ user_id: string; expires: Date }>`select user_id, expires
        from joeflow_demo_session where id = ${id} and expires > now()`.execute(db);
      const row = rows[0];
      return row && { id, user: row.user_id, expires: new Date(row.expires) };
    },
    async delete(id) {
      await sql`delete from joeflow_demo_session where id = ${id}`.execute(db);
    },
  };
}
