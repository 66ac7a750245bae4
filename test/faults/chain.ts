/**
 * The workflow of the fault-injection tests: a chain of machine steps, each of which records an
 * effect outside its transaction (a row written through a connection of its own, as a call to another
 * system would be: it stays done when the transaction rolls back) and then, inside the transaction,
 * counts itself in the state. Effects counted minus commits counted are the steps run twice.
 */
import { defineWorkflow, tasks } from "joeflow";
import pg from "pg";
import { z } from "zod";

export const CHAIN = "fault-chain";
export const EFFECTS_TABLE = "fault_effects";

export interface ChainOptions {
  readonly steps: number;
  /** How long each step takes after its effect, inside its transaction. */
  readonly stepMs: number;
  /** The effect outside the transaction; the test process, which runs no step, needs none. */
  readonly effect?: (workflowId: string, task: string) => Promise<void>;
}

export function chainWorkflow({ steps, stepMs, effect }: ChainOptions) {
  const step = async ({
    state,
    workflow,
    task,
  }: {
    state: { count: number };
    workflow: { id: string };
    task: { name: string };
  }) => {
    await effect?.(workflow.id, task.name);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
    state.count += 1;
  };
  return defineWorkflow({
    name: CHAIN,
    state: z.object({ count: z.number().int() }),
    tasks: {
      start: tasks.start(),
      ...Object.fromEntries(Array.from({ length: steps }, (_, i) => [`s${i}`, step])),
    } as never,
    edges: [["start", "s0"], ...Array.from({ length: steps - 1 }, (_, i) => [`s${i}`, `s${i + 1}`])] as never,
  });
}

/** The side table, made by the test before any worker starts. */
export async function createEffectsTable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `create table if not exists ${EFFECTS_TABLE} (
        id bigserial primary key, workflow_id text not null, task text not null, at timestamptz not null default now()
      )`,
    );
  } finally {
    await client.end();
  }
}

/** An effect that writes its row through its own pool: outside, and independent of, the task's transaction. */
export function effectsWriter(url: string): {
  effect: (workflowId: string, task: string) => Promise<void>;
  end: () => Promise<void>;
} {
  const pool = new pg.Pool({ connectionString: url, max: 5, connectionTimeoutMillis: 10_000 });
  pool.on("error", () => {}); // an idle connection lost (PostgreSQL restarting): the next query reconnects
  return {
    effect: async (workflowId, task) => {
      await pool.query(`insert into ${EFFECTS_TABLE} (workflow_id, task) values ($1, $2)`, [workflowId, task]);
    },
    end: () => pool.end(),
  };
}
