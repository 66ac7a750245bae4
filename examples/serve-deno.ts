/**
 * examples/serve.ts on Deno (`deno task demo`): the same embedded demo — the Temporal dev server
 * (SQLite file), PGlite, the worker in this process — with the web app on Deno.serve (web/deno.ts).
 * Data stays in .data/demo. Stop with Ctrl-C.
 *
 * Once examples/serve.ts picks its server by runtime (see docs/runtimes.md), this file can go.
 */
import process from "node:process";
import { Runtime } from "@temporalio/worker";
import { createTemplates } from "../web/templates.ts";
import { createUrls } from "../web/urls.ts";
import { createWebApp } from "joeflow/web";
import { demoAuth } from "../web/demo-auth.ts";
import { serveDeno } from "joeflow/web/deno";
import { startEmbedded } from "./embedded.ts";
import { shipping } from "./shipping.ts";
import { welcome } from "./welcome.ts";

// The SDK shuts its workers down on SIGINT/SIGTERM by itself; then embedded.stop() would find the
// worker already draining ("IllegalStateError: Not running"), throw, and leave the dev server running.
// We stop everything in order below instead.
Runtime.install({ shutdownSignals: [] });

const port = Number(process.env.PORT ?? 3000);
const embedded = await startEmbedded({ dataDir: process.env.JOEFLOW_DATA_DIR ?? ".data/demo", workflows: [welcome, shipping] });
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
const server = serveDeno(app, { port, hostname: process.env.HOST ?? "127.0.0.1" });
console.log(`joeflow demo on Deno ${process.versions.deno}: ${server.url}  (Temporal UI: ${embedded.temporalUi})`);
console.log("Sign in with any name, start a shipping order, then open it and ship it.");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await embedded.stop();
    process.exit(0);
  });
}
