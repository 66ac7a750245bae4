/** Waiting for the instances a phase touched, and describing the ones that got stuck. */
import type { Client } from "@temporalio/client";
import type { Kysely } from "kysely";
import type { JoeflowDatabase } from "../../src/store/schema.ts";
import { logs } from "./tracing.ts";

/** Ids of these instances that are not done, 500 per query. */
export async function notDone(db: Kysely<JoeflowDatabase>, workflowIds: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < workflowIds.length; i += 500) {
    const rows = await db.selectFrom("joeflow_workflow").select("id")
      .where("id", "in", workflowIds.slice(i, i + 500)).where("status", "!=", "done").execute();
    out.push(...rows.map((r) => r.id));
  }
  return out;
}

/** Waits until these instances are done (their machine tasks after `ship`), at most 60 s. */
export async function waitDone(db: Kysely<JoeflowDatabase>, workflowIds: readonly string[]): Promise<boolean> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    let open = 0;
    for (let i = 0; i < workflowIds.length; i += 500) {
      const row = await db.selectFrom("joeflow_workflow").select((eb) => eb.fn.countAll<string>().as("n"))
        .where("id", "in", workflowIds.slice(i, i + 500)).where("status", "!=", "done").executeTakeFirstOrThrow();
      open += Number(row.n);
    }
    if (open === 0) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** Waits until no activity ran for 500 ms (at most 30 s). */
export async function waitIdle(): Promise<void> {
  const until = Date.now() + 30_000;
  let seen = -1;
  while (Date.now() < until) {
    if (logs.activities.length === seen) return;
    seen = logs.activities.length;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** What a stuck instance waits for, as Temporal describes it. */
export async function describeStuck(client: Client, temporalIds: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const id of temporalIds) {
    try {
      const d = await client.workflow.getHandle(id).describe();
      const acts = (d.raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} state=${a.state} attempt=${a.attempt}` +
        `${a.lastFailure?.message ? ` lastFailure=${a.lastFailure.message}` : ""}`);
      lines.push(`STUCK ${id}: ${d.status.name}, history ${d.historyLength} events; pending activities [${acts.join("; ")}]; ` +
        `pending workflow task ${d.raw.pendingWorkflowTask ? `state=${d.raw.pendingWorkflowTask.state} attempt=${d.raw.pendingWorkflowTask.attempt}` : "none"}`);
    } catch (error) {
      lines.push(`STUCK ${id}: describe failed: ${error}`);
    }
  }
  return lines;
}
