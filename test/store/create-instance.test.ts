/**
 * The start's transaction (createInstance) answers the snapshot from what it wrote, without reading it
 * back: it must be the snapshot the tables give, for every kind of task a start opens (a person's task
 * with a due date, a machine task, a join). A retry after the commit writes nothing twice, and answers
 * the same. On PGlite, and on PostgreSQL when JOEFLOW_TEST_PG_URL is set.
 */
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { defineWorkflow, migrateToLatest, tasks } from "joeflow";
import { type Kysely, PGliteDialect, Kysely as KyselyDb, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { activityContext } from "../../src/activities/context.ts";
import { createInstance } from "../../src/activities/instance.ts";
import type { Snapshot } from "../../src/interpreter/protocol.ts";
import { mustSnapshot } from "../../src/store/instances.ts";
import type { JoeflowDatabase } from "../../src/store/schema.ts";
import { freshPostgres, postgresUrl } from "../fixtures/postgres.ts";

const order = defineWorkflow({
  name: "order",
  state: z.object({ item: z.string() }),
  tasks: {
    start: tasks.start(),
    approve: tasks.updateView({ fields: [], due: "2 days" }),
    pack: () => {},
    ship: tasks.join("approve", "pack"),
  },
  edges: [
    ["start", "approve"],
    ["start", "pack"],
    ["approve", "ship"],
    ["pack", "ship"],
  ],
});

const backends = [
  {
    name: "PGlite",
    open: async () => {
      const db = new KyselyDb<JoeflowDatabase>({ dialect: new PGliteDialect({ pglite: new PGlite() }) });
      return { db, drop: () => db.destroy() };
    },
  },
  ...(postgresUrl
    ? [
        {
          name: "PostgreSQL",
          open: async () => {
            const postgres = await freshPostgres();
            return { db: postgres.db as Kysely<JoeflowDatabase>, drop: postgres.drop };
          },
        },
      ]
    : []),
];

describe.each(backends)("starting an instance on $name", ({ open }) => {
  let db: Kysely<JoeflowDatabase>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await open());
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await drop?.();
  });

  const start = (workflowId: string, ctx = activityContext(db, [order])) =>
    createInstance(ctx, {
      workflowId,
      graph: order.graph,
      task: "start",
      taskId: randomUUID(),
      state: { item: "book" },
      user: "ann",
      at: Date.parse("2026-12-01T10:00:00.000Z"),
    });

  it("answers the snapshot the tables give: the person's task with its due date, the machine task", async () => {
    const workflowId = randomUUID();
    const answered = await start(workflowId);
    expect(answered).toEqual(await mustSnapshot(db, workflowId));
    expect(answered.revision).toBe(1);
    expect(answered.open.map((t) => [t.name, t.type, t.due])).toEqual([
      ["approve", "human", Date.parse("2026-12-03T10:00:00.000Z")],
      ["pack", "machine", undefined],
    ]);
  });

  it("writes nothing twice when the transaction runs again after its commit, and answers the same", async () => {
    const workflowId = randomUUID();
    const first = await start(workflowId);
    const again = await start(workflowId, activityContext(db, [order])); // another worker: a retry
    expect(again).toEqual(first);
    const { rows } = await sql<{ tasks: number; changes: number }>`select
      (select count(*)::int from joeflow_task where workflow_id = ${workflowId}) as tasks,
      (select count(*)::int from joeflow_state_change where workflow_id = ${workflowId}) as changes`.execute(db);
    expect(rows[0]).toEqual({ tasks: 3, changes: 1 });
  });

  it("with hooks listening, commits its transition as before and hands on its events", async () => {
    const workflowId = randomUUID();
    const ctx = activityContext(db, [order], { taskScheduled: () => {} });
    const answered = await start(workflowId, ctx);
    expect(answered.events?.length).toBeGreaterThan(0);
    // The outbox is read back in no particular order.
    const sorted = ({ events, ...snapshot }: Snapshot) => ({ ...snapshot, events: [...(events ?? [])].sort() });
    expect(sorted(answered)).toEqual(sorted(await mustSnapshot(db, workflowId)));
  });
});
