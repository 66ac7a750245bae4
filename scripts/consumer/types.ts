/**
 * A strict TypeScript user of the packed package (scripts/consumer-test.sh type-checks it in a fresh project
 * with tsconfig.consumer.json, against the shipped .d.ts): a workflow, a worker, a client and the web app.
 */
import { Client, Connection } from "@temporalio/client";
import { NativeConnection } from "@temporalio/worker";
import { createJoeflow, createPostgresDb, defineWorkflow, migrateToLatest, tasks, type WorkflowView } from "joeflow";
import { renderSvg } from "joeflow/render";
import { createWebApp } from "joeflow/web";
import { serveNode } from "joeflow/web/node";
import { createWorker } from "joeflow/worker";
import { z } from "zod";

export const shipping = defineWorkflow({
  name: "shipping",
  state: z.object({ shippingAddress: z.string().min(1), trackingCode: z.string().optional() }),
  tasks: {
    checkout: tasks.startView({ fields: ["shippingAddress"] }),
    ship: tasks.updateView({ fields: ["trackingCode"] }),
    end: ({ state }) => {
      state.trackingCode = state.trackingCode?.toUpperCase();
    },
  },
  edges: [
    ["checkout", "ship"],
    ["ship", "end"],
  ],
});

export async function main(): Promise<WorkflowView> {
  const db = createPostgresDb({ connectionString: "postgres://localhost/joeflow" });
  await migrateToLatest(db);
  const connection = await NativeConnection.connect({ address: "localhost:7233" });
  const worker = await createWorker({ connection, db, workflows: [shipping] });
  void worker.run();
  const client = new Client({ connection: await Connection.connect({ address: "localhost:7233" }) });
  const joeflow = createJoeflow({ db, temporal: client, workflows: [shipping] });
  const app = createWebApp({ joeflow, workflows: [shipping], auth: { user: () => "ann" } });
  const served = await serveNode(app, { port: 0 });
  console.log(served.url, typeof renderSvg);
  const { workflowId } = await joeflow.start("shipping", { state: { shippingAddress: "1 Main St" }, user: "ann" });
  return await joeflow.get(workflowId);
}
