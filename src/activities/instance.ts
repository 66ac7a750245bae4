import { instanceTitle } from "../definition/title.ts";
import { successors } from "../graph/types.ts";
import type { CreateInstanceInput, Snapshot } from "../interpreter/protocol.ts";
import type { Reader } from "../store/db.ts";
import { recordStateChange } from "../store/history.ts";
import { commitTransition, insertInstance, mustSnapshot, readSnapshot } from "../store/instances.ts";
import { insertTask } from "../store/tasks.ts";
import { type ActivityContext, eventsWanted } from "./context.ts";
import { newOpenTask, startNextTasks } from "./next-tasks.ts";
import { givenUp, isDataRefusal, refusedData } from "./refusals.ts";

/** Creates the instance, its finished start task and the tasks after it, in one transaction. */
export async function createInstance(ctx: ActivityContext, input: CreateInstanceInput): Promise<Snapshot> {
  try {
    return await insertAll(ctx, input);
  } catch (error) {
    if (!isDataRefusal(error)) throw error; // the database's own trouble: Temporal retries
    const refused = refusedData(error);
    throw givenUp(refused.data, refused.message);
  }
}

/**
 * Without hooks, the instance is written at revision 1 and its snapshot answered from what was
 * written, which saves the transition's update and read; and a graph this worker stored or read once
 * is not sent again. A retry after the commit finds the instance there, and answers its snapshot.
 */
async function insertAll(ctx: ActivityContext, input: CreateInstanceInput): Promise<Snapshot> {
  const { graph, user, workflowId, taskId, task } = input;
  const snapshot = await ctx.db.transaction().execute(async (tx) => {
    const at = new Date(input.at);
    const events = eventsWanted(ctx, graph.name, { user });
    const names = successors(graph, task);
    // A transition without tasks after it settles the status ("done"), and hooks need the row as it was.
    const direct = !events && names.length > 0;
    const { state, parent } = input;
    const title = instanceTitle(ctx.workflows.get(graph.name), { id: workflowId, name: graph.name, state });
    const graphStored = ctx.graphs.has(graph.version);
    const revision = direct ? 1 : 0;
    const created = await insertInstance(tx, {
      id: workflowId,
      graph,
      graphStored,
      state,
      title,
      at,
      revision,
      parent,
    });
    if (!created) return await mustSnapshot(tx, workflowId);
    await insertTask(tx, { id: taskId, workflowId, name: task, type: graph.tasks[task]!.type, at, done: { user } });
    await recordStateChange(tx, { workflowId, taskId, taskName: task, user, at, before: null, after: state });
    const definition = ctx.workflows.get(graph.name);
    const previous = { id: taskId, name: task, completedByUser: user };
    const started = await startNextTasks(tx, { workflowId, graph, definition, parent: previous, names, state, at });
    if (!direct) return await commitTransition(tx, workflowId, { at, events });
    const open = started.map((t) => newOpenTask(graph, t, task, at));
    return { revision, status: "running" as const, open };
  });
  ctx.graphs.set(graph.version, graph); // stored now: it committed
  return snapshot;
}

/** A run resumed without its snapshot: the events left undelivered by the run before are delivered again. */
export async function loadSnapshot(db: Reader, input: { workflowId: string }): Promise<Snapshot | null> {
  return (await readSnapshot(db, input.workflowId)) && (await mustSnapshot(db, input.workflowId));
}
