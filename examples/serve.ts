/**
 * The main job: the seed's welcome and shipping workflows served at http://localhost:3000 on the
 * embedded defaults: the Temporal dev server (SQLite file), PGlite, the worker and the web app,
 * all in this one process. Data stays in .data/demo. Stop with Ctrl-C.
 */
import { createTemplates } from "../web/templates.ts";
import { createUrls } from "../web/urls.ts";
import { createWebApp } from "joeflow/web";
import { demoAuth } from "../web/demo-auth.ts";
import { serveNode } from "../web/node.ts";
import { startEmbedded } from "./embedded.ts";
import { shipping } from "./shipping.ts";
import { welcome } from "./welcome.ts";

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
const server = await serveNode(app, { port, hostname: process.env.HOST ?? "127.0.0.1" });
console.log(`joeflow demo: ${server.url}  (Temporal UI: ${embedded.temporalUi})`);
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
