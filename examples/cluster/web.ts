/**
 * A web process of a scaled-out deployment: run several behind a load balancer. It reads from
 * PostgreSQL and sends every change to the instance's workflow through the Temporal cluster, so the
 * processes share nothing but those two and the secret that signs the sign-in cookie.
 *
 *   DATABASE_URL=postgres://… TEMPORAL_ADDRESS=temporal:7233 JOEFLOW_SECRET=… PORT=3000 \
 *     npx tsx examples/cluster/web.ts
 *
 * The sign-in here is the demo's (a name, trusted): plug your own Auth in as the README shows.
 */
import process from "node:process";
import { Client, Connection } from "@temporalio/client";
import { createJoeflow } from "joeflow";
import { createWebApp } from "joeflow/web";
import { serveNode } from "joeflow/web/node";
import { demoAuth } from "../../web/demo-auth.ts";
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
const signIn = demoAuth({ secret });
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
