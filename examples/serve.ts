/**
 * The main job: the seed's welcome and shipping workflows served at http://localhost:3000 on the
 * embedded defaults: the Temporal dev server (SQLite file), PGlite, the worker and the web app,
 * all in this one process. Data stays in .data/demo. Stop with Ctrl-C.
 *
 * One entry for both runtimes: `npm start` (Node, @hono/node-server) and `deno task demo` (Deno,
 * Deno.serve). PORT, HOST, JOEFLOW_DATA_DIR and TEMPORAL_UI_PORT apply to both.
 */
import process from "node:process";
import { Runtime } from "@temporalio/worker";
import { createTemplates } from "../web/templates.ts";
import { createUrls } from "../web/urls.ts";
import { createWebApp } from "joeflow/web";
import type { Served } from "joeflow/web/node";
import { demoAuth } from "../web/demo-auth.ts";
import { startEmbedded } from "./embedded.ts";
import { onShutdown } from "./shutdown.ts";
import { shipping } from "./shipping.ts";
import { welcome } from "./welcome.ts";

// The SDK shuts its workers down on SIGINT/SIGTERM by itself; then embedded.stop() would find the
// worker already draining and the web server still open. We stop everything in order below instead.
// This must come before anything creates the SDK's Runtime (startEmbedded does).
Runtime.install({ shutdownSignals: [] });

const onDeno = "Deno" in globalThis;
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "127.0.0.1";
const embedded = await startEmbedded({
  dataDir: process.env.JOEFLOW_DATA_DIR ?? ".data/demo",
  workflows: [welcome, shipping],
  uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
});
const signIn = demoAuth();
const app = createWebApp({
  joeflow: embedded.joeflow,
  workflows: [welcome, shipping],
  auth: signIn.auth,
  signInUrl: signIn.signInUrl,
  signOutUrl: signIn.signOutUrl,
  temporalUi: (id) => `${embedded.temporalUi}/namespaces/default/workflows/${encodeURIComponent(id)}`,
  extend: (app) => signIn.routes(app, createTemplates(), createUrls()),
});
// Each runtime gets its own server, imported only there, so Deno never loads the Node adapter.
const server: Served = onDeno
  ? (await import("joeflow/web/deno")).serveDeno(app, { port, hostname })
  : await (await import("joeflow/web/node")).serveNode(app, { port, hostname });
const runtime = onDeno ? `Deno ${process.versions.deno}` : `Node ${process.versions.node}`;
console.log(`joeflow demo on ${runtime}: ${server.url}  (Temporal UI: ${embedded.temporalUi})`);
console.log("Sign in with any name, start a shipping order, then open it and ship it.");

onShutdown(async () => {
  await server.close();
  await embedded.stop();
});
