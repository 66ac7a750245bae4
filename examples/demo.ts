/**
 * The main job: the seed's welcome and shipping workflows on the embedded defaults, printed as
 * task tables. Run it with `npm start`; the data stays in .data/demo between runs.
 */
import type { Joeflow, WorkflowView } from "joeflow";
import { startEmbedded } from "./embedded.ts";
import { outbox } from "./mailer.ts";
import { shipping } from "./shipping.ts";
import { welcome } from "./welcome.ts";

const embedded = await startEmbedded({ dataDir: ".data/demo", workflows: [welcome, shipping] });
const { joeflow } = embedded;
try {
  console.log(`Temporal UI: ${embedded.temporalUi}\n`);
  const spidy = await joeflow.start(welcome, { state: { user: "spidy" }, user: "admin" });
  const nobody = await joeflow.start(welcome, { state: {}, user: "admin" });
  const order = await joeflow.start(shipping, {
    state: { shippingAddress: "1 Main St", email: "ann@example.com" },
    user: "clerk",
  });
  const ship = (await joeflow.get(order.workflowId)).tasks.find((t) => t.name === "ship" && t.status === "scheduled")!;
  printInstance(await joeflow.get(order.workflowId), "waiting for the warehouse");
  await joeflow.completeTask(ship.id, { data: { trackingCode: "1Z999AA10123456784" }, user: "warehouse" });
  for (const id of [spidy.workflowId, nobody.workflowId, order.workflowId]) printInstance(await settled(joeflow, id));
  console.log("Mail sent:", outbox.map((m) => `${m.to}: ${m.subject} (${m.body})`).join("; "));
  const total = await joeflow.list({ limit: 500 });
  console.log(`\n${total.items.length}${total.nextCursor ? "+" : ""} instances in .data/demo so far.`);
} finally {
  await embedded.stop();
}

/** Waits until the instance has nothing left to run by itself. */
async function settled(joeflow: Joeflow, workflowId: string): Promise<WorkflowView> {
  for (let i = 0; i < 300; i++) {
    const instance = await joeflow.get(workflowId);
    if (instance.status !== "running") return instance;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`instance ${workflowId} did not finish in 30 s`);
}

function printInstance(instance: WorkflowView, note: string = instance.status): void {
  console.log(`${instance.name} ${instance.id} (${note}) state: ${JSON.stringify(instance.state)}`);
  const rows = instance.tasks.map((t) => ({
    id: t.id.slice(0, 8),
    task: t.name,
    type: t.type,
    status: t.status,
    by: t.completedByUser ?? "",
    completed: t.completed?.toISOString() ?? "",
  }));
  console.table(rows);
}
