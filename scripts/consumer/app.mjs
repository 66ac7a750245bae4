// A plain-JavaScript user of the packed package, run by plain `node` (no tsx) in scripts/consumer-test.sh:
// a workflow on the time-skipping test server (joeflow/testing), a human task completed, the web app served.
// The same file runs on Deno, against the installed package, against the sources (deno.json's exports,
// the `deno` step of scripts/consumer-test.sh), which have no prebuilt interpreter bundle, and against the
// files JSR publishes served over http:, which have one.
import { existsSync } from "node:fs";
import { defineWorkflow, tasks } from "joeflow";
import { createTestEnv } from "joeflow/testing";
import { createWebApp } from "joeflow/web";
import { serveNode } from "joeflow/web/node";
import { PREBUILT_BUNDLE_URL } from "joeflow/worker";
import { z } from "zod";

const check = (ok, what) => {
  if (!ok) throw new Error(`consumer: ${what}`);
  console.log(`consumer: ok: ${what}`);
};

const shipping = defineWorkflow({
  name: "shipping",
  state: z.object({ shippingAddress: z.string().min(1), trackingCode: z.string().optional() }),
  tasks: {
    checkout: tasks.startView({ fields: ["shippingAddress"] }),
    ship: tasks.updateView({ fields: ["trackingCode"] }),
    end: ({ state }) => {
      state.trackingCode = state.trackingCode.toUpperCase();
    },
  },
  edges: [
    ["checkout", "ship"],
    ["ship", "end"],
  ],
});

const runtime = globalThis.Deno ? `Deno ${globalThis.Deno.version.deno}` : `Node ${process.version}`;
const where = new URL(import.meta.resolve("joeflow"));
const remote = where.protocol !== "file:";
const fromSources = where.pathname.endsWith(".ts");
if (remote)
  check((await fetch(PREBUILT_BUNDLE_URL, { method: "HEAD" })).ok, `the interpreter prebundled at ${where.origin}`);
else if (fromSources) console.log("consumer: joeflow from its sources, bundling the interpreter now");
else check(existsSync(PREBUILT_BUNDLE_URL), "the interpreter comes prebundled");
const env = await createTestEnv({ workflows: [shipping] });
try {
  const { workflowId } = await env.joeflow.start("shipping", { state: { shippingAddress: "1 Main St" }, user: "ann" });
  const ship = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "ship");
  check(ship?.status === "scheduled", "the human task waits");
  await env.joeflow.completeTask(ship.id, { data: { trackingCode: "track-1" }, user: "bob" });
  await env.idle(workflowId);
  const done = await env.joeflow.get(workflowId);
  check(done.status === "done" && done.state.trackingCode === "TRACK-1", "the instance ran to its end");

  const app = createWebApp({ joeflow: env.joeflow, workflows: [shipping], auth: { user: () => "ann" } });
  const served = await serveNode(app, { port: 0 });
  try {
    const page = await fetch(`${served.url}/shipping/${workflowId}/`);
    const html = await page.text();
    check(
      page.status === 200 && html.includes("TRACK-1") && html.includes("<svg"),
      "the detail page (templates, graph)",
    );
    const css = await fetch(`${served.url}/static/joeflow.css`);
    check(css.status === 200 && (await css.text()).length > 100, "the CSS");
    const start = await fetch(`${served.url}/shipping/checkout/`);
    check(start.status === 200 && (await start.text()).includes('name="shippingAddress"'), "the start form");
  } finally {
    await served.close();
  }
} finally {
  await env.teardown();
}
const origin = remote ? ` (from ${where.origin})` : fromSources ? " (from the sources)" : "";
console.log(`consumer: passed on ${runtime}${origin}`);
