/** What the fault-injection tests read from the database, and how they print it. */
import type { JoeflowDatabase } from "joeflow";
import { type Kysely, sql } from "kysely";
import { CHAIN, EFFECTS_TABLE } from "./chain.ts";

export interface Progress {
  readonly instances: number;
  readonly done: number;
  /** Steps committed: the sum of every instance's state.count. */
  readonly commits: number;
  /** Steps whose effect outside the transaction ran: rows in the side table. */
  readonly executions: number;
  /** (instance, step) pairs whose effect ran more than once. */
  readonly repeatedSteps: number;
  /** Instances whose count is not the number of steps, once done. */
  readonly wrongCounts: readonly string[];
}

export async function progress(db: Kysely<JoeflowDatabase>, steps: number): Promise<Progress> {
  const rows = await db
    .selectFrom("joeflow_workflow")
    .select(["id", "status", "state"])
    .where("name", "=", CHAIN)
    .execute();
  const count = (state: unknown) => Number((state as { count?: number }).count ?? 0);
  const { rows: effects } = await sql<{ executions: string; repeated: string }>`
    select coalesce(sum(n), 0) as executions, count(*) filter (where n > 1) as repeated
    from (select count(*) as n from ${sql.table(EFFECTS_TABLE)} group by workflow_id, task) as per_step`.execute(db);
  return {
    instances: rows.length,
    done: rows.filter((r) => r.status === "done").length,
    commits: rows.reduce((sum, r) => sum + count(r.state), 0),
    executions: Number(effects[0]!.executions),
    repeatedSteps: Number(effects[0]!.repeated),
    wrongCounts: rows.filter((r) => r.status === "done" && count(r.state) !== steps).map((r) => r.id),
  };
}

/** Committed state changes per instance, which must be one per step. */
export async function stateChanges(db: Kysely<JoeflowDatabase>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("joeflow_state_change")
    .select(["workflow_id", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("workflow_id")
    .execute();
  return new Map(rows.map((r) => [r.workflow_id, Number(r.n)]));
}

/** Instances done, steps committed and steps in flight (their effect ran, their commit not yet). */
export const atMoment = (p: Progress) =>
  `${p.done} instances / ${p.commits} steps, ${p.executions - p.commits} in flight`;

/** Effects run minus commits, and the steps whose effect ran more than once. */
export const ranTwice = (p: Progress) => `${p.executions - p.commits} (${p.repeatedSteps} steps repeated)`;

/** One figure a line, so that a CI log shows them. */
export function report(title: string, figures: Record<string, string | number>): void {
  for (const [name, value] of Object.entries(figures)) console.log(`[faults] ${title}: ${name}: ${value}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
