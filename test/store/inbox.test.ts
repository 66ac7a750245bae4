/**
 * The inbox's queries on PGlite, and on PostgreSQL when JOEFLOW_TEST_PG_URL is set: scopes (mine, my
 * groups, unassigned, all) with their counts, the filters, the search over titles, and the pages.
 * Groups and claims are written into the tables here as the claim messages and task creation do.
 */
import { defineWorkflow, InvalidData, type Joeflow, migrateToLatest, tasks } from "joeflow";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { JoeflowDatabase } from "../../src/store/schema.ts";
import { memoryJoeflow } from "../fixtures/memory-joeflow.ts";
import { freshPostgres, postgresUrl } from "../fixtures/postgres.ts";

const ticket = defineWorkflow({
  name: "ticket",
  title: (state) => `Ticket: ${state.subject}`,
  state: z.object({ subject: z.string(), owner: z.string().optional() }),
  tasks: {
    open: tasks.startView({ fields: ["subject", "owner"] }),
    handle: tasks.updateView({
      fields: ["subject"],
      label: "Handle the ticket",
      assignees: ({ state }) => (typeof state.owner === "string" ? [state.owner] : []),
    }),
    review: tasks.updateView({ fields: [] }),
  },
  edges: [
    ["open", "handle"],
    ["handle", "review"],
  ],
});

const backends = [
  { name: "PGlite", open: async () => ({ db: undefined, drop: async () => {} }) },
  ...(postgresUrl
    ? [
        {
          name: "PostgreSQL",
          open: async () => {
            const postgres = await freshPostgres();
            const db = postgres.db as Kysely<JoeflowDatabase>;
            await migrateToLatest(db);
            return { db, drop: postgres.drop };
          },
        },
      ]
    : []),
];

describe.each(backends)("the inbox on $name", (backend) => {
  let joeflow: Joeflow;
  let db: Kysely<JoeflowDatabase>;
  let teardown: () => Promise<void>;
  const made: Record<string, string> = {}; // subject -> handle task id

  beforeAll(async () => {
    const opened = await backend.open();
    const memory = await memoryJoeflow([ticket], { db: opened.db });
    [joeflow, db] = [memory.joeflow, memory.db];
    teardown = async () => {
      await memory.close();
      await opened.drop();
    };
    // Oldest first: a for ann, b for anyone, c offered to ops, d for bob but claimed by ann,
    // e offered to ops and claimed by carl, f for anyone with 100% in its subject.
    for (const [subject, owner] of [["a", "ann"], ["b"], ["c"], ["d", "bob"], ["e"], ["f 100%"]] as const) {
      const { workflowId } = await joeflow.start(ticket, { state: { subject, owner } });
      const task = (await joeflow.get(workflowId)).tasks.find((t) => t.name === "handle")!;
      made[subject] = task.id;
    }
    await db
      .insertInto("joeflow_task_group")
      .values([
        { task_id: made.c!, group_id: "ops" },
        { task_id: made.e!, group_id: "ops" },
      ])
      .execute();
    await db.updateTable("joeflow_task").set({ claimed_by: "ann" }).where("id", "=", made.d!).execute();
    await db.updateTable("joeflow_task").set({ claimed_by: "carl" }).where("id", "=", made.e!).execute();
  });
  afterAll(async () => {
    await teardown?.();
  });

  const subjects = (items: readonly { id: string }[]) =>
    items.map((t) => Object.keys(made).find((subject) => made[subject] === t.id));

  it("sorts ann's tasks into her scopes, newest first, and counts every scope", async () => {
    const ann = { user: "ann", groups: ["ops"] };
    expect(subjects((await joeflow.inbox({ ...ann, scope: "mine" })).items)).toEqual(["d", "a"]);
    expect(subjects((await joeflow.inbox({ ...ann, scope: "groups" })).items)).toEqual(["c"]);
    expect(subjects((await joeflow.inbox({ ...ann, scope: "unassigned" })).items)).toEqual(["f 100%", "b"]);
    const all = await joeflow.inbox(ann);
    expect(subjects(all.items)).toEqual(["f 100%", "e", "d", "c", "b", "a"]);
    expect(all.counts).toEqual({ mine: 2, groups: 1, unassigned: 2, overdue: 0, all: 6 });
    expect(all.items[0]).toMatchObject({ workflowName: "ticket", workflowTitle: "Ticket: f 100%", name: "handle" });

    expect((await joeflow.inbox({ user: "carl" })).counts).toEqual({
      mine: 1,
      groups: 0,
      unassigned: 2,
      overdue: 0,
      all: 6,
    });
    expect((await joeflow.inbox({ user: null, scope: "mine" })).items).toEqual([]);
  });

  it("keeps a task's workflow name and whether anybody is named for it on its row, by triggers", async () => {
    const row = (id: string) =>
      db.selectFrom("joeflow_task").select(["workflow_name", "offered"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(await row(made.a!)).toEqual({ workflow_name: "ticket", offered: true });
    expect(await row(made.b!)).toEqual({ workflow_name: "ticket", offered: false });
    expect(await row(made.c!)).toEqual({ workflow_name: "ticket", offered: true });
    // Named nobody any more (as a reassignment first removes the old names): unassigned again, then not.
    await db.deleteFrom("joeflow_task_assignee").where("task_id", "=", made.a!).execute();
    expect((await row(made.a!)).offered).toBe(false);
    expect((await joeflow.inbox({ user: "zed", scope: "unassigned" })).counts.unassigned).toBe(3);
    await db.insertInto("joeflow_task_assignee").values({ task_id: made.a!, user_id: "ann" }).execute();
    expect((await row(made.a!)).offered).toBe(true);
  });

  it("searches the titles in any case, taking % and _ literally", async () => {
    const search = async (text: string) => subjects((await joeflow.inbox({ user: "ann", search: text })).items);
    expect(await search("TICKET: B")).toEqual(["b"]);
    expect(await search("100%")).toEqual(["f 100%"]);
    expect(await search("%")).toEqual(["f 100%"]);
    expect(await search("_")).toEqual([]);
    const counted = await joeflow.inbox({ user: "ann", groups: ["ops"], search: "ticket: c" });
    expect(counted.counts).toEqual({ mine: 0, groups: 1, unassigned: 0, overdue: 0, all: 1 });
  });

  it("filters by workflow, task and the workflows the viewer may see", async () => {
    expect((await joeflow.inbox({ user: "ann", workflow: "ticket", task: "handle" })).items).toHaveLength(6);
    expect((await joeflow.inbox({ user: "ann", task: "review" })).counts.all).toBe(0);
    expect((await joeflow.inbox({ user: "ann", workflow: "other" })).counts.all).toBe(0);
    const hidden = await joeflow.inbox({ user: "ann", workflows: [] });
    expect([hidden.items, hidden.counts.all]).toEqual([[], 0]);
    expect((await joeflow.inbox({ user: "ann", workflows: ["ticket"] })).counts.all).toBe(6);
  });

  it("pages with a cursor, the counts on every page", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<Joeflow["inbox"]>> = await joeflow.inbox({ user: "ann", limit: 4, cursor });
      expect(page.counts.all).toBe(6);
      seen.push(...subjects(page.items).map(String));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["f 100%", "e", "d", "c", "b", "a"]);
  });

  it("refuses filters it cannot use, naming them", async () => {
    const refused = async (options: Parameters<Joeflow["inbox"]>[0]) => {
      const error = await joeflow.inbox(options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidData);
      return (error as InvalidData).data.issues.map((issue) => issue.path.join("."));
    };
    expect(await refused({ user: "ann", scope: "bogus" as "all" })).toEqual(["scope"]);
    expect(await refused({ user: "ann", cursor: "garbage" })).toEqual(["cursor"]);
    expect(await refused({ user: "ann", search: "a\u0000b" })).toEqual(["search"]);
    expect(await refused({ user: "ann", groups: ["o\u0000ps"] })).toEqual(["groups.0"]);
    expect(await refused({ user: "ann", search: "x".repeat(201) })).toEqual(["search"]);
    expect(await refused({ user: "ann", limit: 0 })).toEqual(["limit"]);
  });

  it("keeps the title with the state: a completed task that changes the subject retitles the instance", async () => {
    const { workflowId } = await joeflow.start(ticket, { state: { subject: "old" } });
    expect((await joeflow.get(workflowId)).title).toBe("Ticket: old");
    const handle = (await joeflow.get(workflowId)).tasks.find((t) => t.name === "handle")!;
    await joeflow.completeTask(handle.id, { data: { subject: "new" } });
    expect((await joeflow.get(workflowId)).title).toBe("Ticket: new");
    expect(subjects((await joeflow.inbox({ user: "ann", search: "ticket: new" })).items)).toEqual([undefined]);
  });
});
