/** The instance's row and its graph: create, lock, read the open tasks back, commit a transition. */
import { sql } from "kysely";
import type { CompiledGraph } from "../graph/types.ts";
import { UUID_PATTERN } from "../ids.ts";
import type { OpenTask, Snapshot } from "../interpreter/protocol.ts";
import type { Reader, Tx } from "./db.ts";
import { type EventsWanted, pendingEventIds, recordEvents } from "./events.ts";
import type { WorkflowRow, WorkflowStatus } from "./schema.ts";

const OPEN = ["scheduled", "failed"] as const;

/**
 * Stores the graph (once per version; not at all when `graphStored` says it is there) and the new
 * instance's row, at `revision` (default 0). False when an instance with this id exists already.
 */
export async function insertInstance(
  tx: Tx,
  instance: {
    id: string;
    graph: CompiledGraph;
    graphStored?: boolean;
    state: Record<string, unknown>;
    title: string;
    at: Date;
    revision?: number;
    /** A sub-workflow's parent instance and subflow task. */
    parent?: { workflowId: string; taskId: string };
  },
): Promise<boolean> {
  const { graph, at } = instance;
  if (!instance.graphStored) {
    await tx
      .insertInto("joeflow_graph")
      .values({ version: graph.version, name: graph.name, graph: JSON.stringify(graph), created: at })
      .onConflict((oc) => oc.column("version").doNothing())
      .execute();
  }
  const inserted = await tx
    .insertInto("joeflow_workflow")
    .values({
      id: instance.id,
      name: graph.name,
      status: "running",
      state: JSON.stringify(instance.state),
      title: instance.title,
      graph_version: graph.version,
      revision: instance.revision ?? 0,
      created: at,
      modified: at,
      ...(instance.parent
        ? { parent_workflow_id: instance.parent.workflowId, parent_task_id: instance.parent.taskId }
        : {}),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Locks the instance's row for the rest of the transaction, so tasks of one instance that write
 * state are serialized (joeflow's select_for_update on the workflow).
 */
export async function lockInstance(tx: Tx, workflowId: string): Promise<WorkflowRow | undefined> {
  return await tx
    .selectFrom("joeflow_workflow")
    .selectAll()
    .where("id", "=", workflowId)
    .forUpdate()
    .executeTakeFirst();
}

/** An instance's name, graph and revision, without its state and tasks; undefined when there is none. */
export async function findInstanceHead(
  db: Reader,
  workflowId: string,
): Promise<{ id: string; name: string; graphVersion: string; revision: number } | undefined> {
  // Ids are UUIDs: anything else (a NUL byte, say) is no instance, not a question for the database.
  if (!UUID_PATTERN.test(workflowId)) return undefined;
  return await db
    .selectFrom("joeflow_workflow")
    .select(["id", "name", "graph_version as graphVersion", "revision"])
    .where("id", "=", workflowId)
    .executeTakeFirst();
}

/** A stored graph by version, or undefined. */
export async function findGraph(db: Reader, version: string): Promise<CompiledGraph | undefined> {
  const row = await db.selectFrom("joeflow_graph").select("graph").where("version", "=", version).executeTakeFirst();
  return row?.graph as unknown as CompiledGraph | undefined;
}

/** The instance's open tasks as the current transaction sees them; null when there is no such instance. */
export async function readSnapshot(db: Reader, workflowId: string): Promise<Snapshot | null> {
  const workflow = await db
    .selectFrom("joeflow_workflow")
    .select(["revision", "status"])
    .where("id", "=", workflowId)
    .executeTakeFirst();
  if (!workflow) return null;
  return { revision: workflow.revision, status: workflow.status, open: await openTasks(db, workflowId) };
}

/**
 * As readSnapshot, for an instance that must exist (its row is locked or was just read), with the
 * hook events not yet delivered: a step retried after its commit finds its work done, and hands its
 * events to the interpreter again, so none is lost when the first reply was.
 */
export async function mustSnapshot(db: Reader, workflowId: string): Promise<Snapshot> {
  const snapshot = await readSnapshot(db, workflowId);
  if (!snapshot) throw new Error(`Workflow instance ${workflowId} is not in the database`);
  const events = await pendingEventIds(db, workflowId);
  return events.length ? { ...snapshot, events } : snapshot;
}

/** The snapshot after a transition that committed its revision itself (a machine step's writes). */
export async function snapshotAfter(
  db: Reader,
  workflowId: string,
  head: { revision: number; status: WorkflowStatus },
): Promise<Snapshot> {
  return { revision: head.revision, status: head.status, open: await openTasks(db, workflowId) };
}

export interface Transition {
  readonly at: Date;
  /** The instance's new state, when the transition computed one. */
  readonly state?: Record<string, unknown>;
  /** The instance's title for that state (instanceTitle); kept with the state. */
  readonly title?: string;
  /** Forces the status; otherwise "running" while a task is open, else "done". */
  readonly status?: "canceled";
  /** Hooks listen: write the events of this transition to the outbox (store/events.ts). */
  readonly events?: EventsWanted;
}

/**
 * Ends every transition: one statement bumps the revision, settles the status and stores the state,
 * and one reads the open tasks back for the interpreter. A step is a handful of statements, so two
 * saved here are a good share of its time.
 */
export async function commitTransition(tx: Tx, workflowId: string, transition: Transition): Promise<Snapshot> {
  const { events, ...row } = await commitRevision(tx, workflowId, transition);
  const snapshot = { revision: row.revision, status: row.status, open: await openTasks(tx, workflowId) };
  return events.length ? { ...snapshot, events } : snapshot;
}

/**
 * The first half of commitTransition, alone: a machine step that a chain follows with the next one
 * needs no snapshot (it would cost a statement and grow with the open tasks); the chain's last does.
 * It writes the transition's hook events all the same, and answers their ids (the chain hands them on).
 */
export async function commitRevision(
  tx: Tx,
  workflowId: string,
  transition: Transition,
): Promise<{ revision: number; status: WorkflowStatus; events: readonly string[] }> {
  // Only when a hook listens: the row before tells which workflow events this transition makes.
  const before = transition.events && (await headOf(tx, workflowId));
  const row = await tx
    .updateTable("joeflow_workflow")
    .set((eb) => ({
      revision: eb("revision", "+", 1),
      status:
        transition.status ??
        eb
          .case()
          .when(
            eb.exists(
              eb
                .selectFrom("joeflow_task as open")
                .select(eb.lit(1).as("one"))
                .whereRef("open.workflow_id", "=", "joeflow_workflow.id")
                .where("open.status", "in", OPEN),
            ),
          )
          .then(eb.val<WorkflowStatus>("running"))
          .else(eb.val<WorkflowStatus>("done"))
          .end(),
      modified: transition.at,
      ...(transition.state ? { state: JSON.stringify(transition.state) } : {}),
      ...(transition.title === undefined ? {} : { title: transition.title }),
    }))
    .where("id", "=", workflowId)
    .returning(["revision", "status"])
    .executeTakeFirstOrThrow();
  if (!transition.events || !before) return { ...row, events: [] };
  const state = transition.state ?? before.state;
  const committed = {
    ...row,
    id: workflowId,
    name: before.name,
    statusBefore: before.status,
    state,
    at: transition.at,
  };
  return { ...row, events: await recordEvents(tx, committed, transition.events) };
}

async function headOf(tx: Tx, workflowId: string) {
  return await tx
    .selectFrom("joeflow_workflow")
    .select(["status", "name", "state"])
    .where("id", "=", workflowId)
    .executeTakeFirst();
}

async function openTasks(db: Reader, workflowId: string): Promise<OpenTask[]> {
  const rows = await db
    .selectFrom("joeflow_task as t")
    .select(["t.id", "t.name", "t.type", "t.status", "t.created", "t.attempt", "t.due", "t.escalated"])
    // Parent names in the same statement: joins need them, and a second round trip costs more than the subquery.
    .select(
      sql<string[] | null>`(select json_agg(p.name) from joeflow_task_parent tp
      join joeflow_task p on p.id = tp.parent_id where tp.task_id = t.id)`.as("parent_names"),
    )
    .where("t.workflow_id", "=", workflowId)
    .where("t.status", "in", OPEN)
    .orderBy("t.seq")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    type: row.type,
    status: row.status as OpenTask["status"],
    created: new Date(row.created).getTime(),
    attempt: row.attempt,
    parentNames: [...(row.parent_names ?? [])].sort(),
    ...(row.type === "human" && row.due && !row.escalated ? { due: new Date(row.due).getTime() } : {}),
  }));
}
