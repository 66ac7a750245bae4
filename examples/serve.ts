/**
 * The main job: the seed's welcome and shipping workflows served at http://localhost:3000 on the
 * embedded defaults: the Temporal dev server (SQLite file), PGlite, the worker and the web app,
 * all in this one process. Data stays in .data/demo. Stop with Ctrl-C.
 *
 * One entry for both runtimes: `npm start` (Node, @hono/node-server) and `deno task demo` (Deno,
 * Deno.serve). PORT, HOST, JOEFLOW_DATA_DIR and TEMPORAL_UI_PORT apply to both. A busy port, or any
 * other failure to start, is one line on stderr and exit code 1, with whatever had started stopped.
 */
import { createServer } from "node:net";
import process from "node:process";
import { Runtime } from "@temporalio/worker";
import { createTemplates } from "../web/templates.ts";
import { createUrls } from "../web/urls.ts";
import { createWebApp } from "joeflow/web";
import type { Served } from "joeflow/web/node";
import { DEMO_GROUPS, demoAuth } from "../web/demo-auth.ts";
import { type Embedded, startEmbedded } from "./embedded.ts";
import { notifications, outboxRoute } from "./notifications.ts";
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
const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);

/** Says what went wrong in one line, stops what was started, and exits 1. */
async function fail(message: string, started: { server?: Served; embedded?: Embedded }): Promise<never> {
  console.error(`joeflow demo: ${message}`);
  await started.server?.close().catch(() => {});
  await started.embedded?.stop().catch(() => {});
  process.exit(1);
}

// A busy port is said before anything starts, so nothing is left behind.
for (const [busy, name, what] of [
  [port, "PORT", "the web app"],
  [uiPort, "TEMPORAL_UI_PORT", "the Temporal UI"],
] as const) {
  if (!(await isFree(busy, hostname))) {
    await fail(`port ${busy} (${what}) is in use; set ${name}=<another port>`, {});
  }
}

const started: { server?: Served; embedded?: Embedded } = {};
let embedded: Embedded;
let server: Served;
// Signs the one-click task links of the demo's mails; a new one at each start unless set, so a
// restart makes the links mailed before it invalid.
const linkSecret = process.env.JOEFLOW_LINK_SECRET ?? crypto.randomUUID();
const baseUrl = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
try {
  embedded = started.embedded = await startEmbedded({
    dataDir: process.env.JOEFLOW_DATA_DIR ?? ".data/demo",
    workflows: [welcome, shipping],
    uiPort,
    on: notifications({ baseUrl, linkSecret, team: "warehouse" }),
  });
  // The demo asks people to sign in before they complete anything, so every task says who did it.
  const signIn = demoAuth({ requireSignIn: true, groups: DEMO_GROUPS });
  const app = createWebApp({
    joeflow: embedded.joeflow,
    workflows: [welcome, shipping],
    auth: signIn.auth,
    signInUrl: signIn.signInUrl,
    signOutUrl: signIn.signOutUrl,
    temporalUi: (id) => `${embedded.temporalUi}/namespaces/default/workflows/${encodeURIComponent(id)}`,
    linkSecret,
    extend: (app) => {
      signIn.routes(app, createTemplates(), createUrls());
      outboxRoute(app);
    },
  });
  // Each runtime gets its own server, imported only there, so Deno never loads the Node adapter.
  server = started.server = onDeno
    ? (await import("joeflow/web/deno")).serveDeno(app, { port, hostname })
    : await (await import("joeflow/web/node")).serveNode(app, { port, hostname });
} catch (error) {
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  const inUse = (error as { code?: unknown }).code === "EADDRINUSE";
  await fail(inUse ? `port ${port} is in use; set PORT=<another port>` : `could not start: ${reason}`, started);
  throw error; // not reached: fail exits
}
const runtime = onDeno ? `Deno ${process.versions.deno}` : `Node ${process.versions.node}`;
console.log(`joeflow demo on ${runtime}: ${server.url}  (Temporal UI: ${embedded.temporalUi})`);
console.log("Sign in with any name, start a shipping order, then open it and ship it.");
console.log(`The mail its hooks send, with one-click task links: ${new URL("outbox", server.url).href}`);

onShutdown(async () => {
  await server.close();
  await embedded.stop();
});

/** True if nothing listens on hostname:port (we could listen there ourselves). */
function isFree(port: number, hostname: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host: hostname, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
