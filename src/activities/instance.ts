import { instanceTitle } from "../definition/title.ts";
import { successors } from "../graph/types.ts";
import type { CreateInstanceInput, Snapshot } from "../interpreter/protocol.ts";
import type { Reader } from "../store/db.ts";
import { recordStateChange } from "../store/history.ts";
import { commitTransition, insertInstance, mustSnapshot, readSnapshot } from "../store/instances.ts";
import { insertTask } from "../store/tasks.ts";
import { type ActivityContext, eventsWanted } from "./context.ts";
import { startNextTasks } from "./next-tasks.ts";
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

async function insertAll(ctx: ActivityContext, input: CreateInstanceInput): Promise<Snapshot> {
  return await ctx.db.transaction().execute(async (tx) => {
    const existing = await readSnapshot(tx, input.workflowId);
    // A retry after the commit: nothing more to do, but the events still to deliver.
    if (existing) return await mustSnapshot(tx, input.workflowId);
    const at = new Date(input.at);
    const { graph, user } = input;
    const instance = { id: input.workflowId, name: graph.name, state: input.state };
    const title = instanceTitle(ctx.workflows.get(graph.name), instance);
    await insertInstance(tx, { id: input.workflowId, graph, state: input.state, title, at, parent: input.parent });
    await insertTask(tx, {
      id: input.taskId,
      workflowId: input.workflowId,
      name: input.task,
      type: graph.tasks[input.task]!.type,
      at,
      done: { user },
    });
    await recordStateChange(tx, {
      workflowId: input.workflowId,
      taskId: input.taskId,
      taskName: input.task,
      user,
      at,
      before: null,
      after: input.state,
    });
    await startNextTasks(tx, {
      workflowId: input.workflowId,
      graph,
      definition: ctx.workflows.get(graph.name),
      parent: { id: input.taskId, name: input.task, completedByUser: user },
      names: successors(graph, input.task),
      state: input.state,
      at,
    });
    return await commitTransition(tx, input.workflowId, { at, events: eventsWanted(ctx, graph.name, { user }) });
  });
}

/** A run resumed without its snapshot: the events left undelivered by the run before are delivered again. */
export async function loadSnapshot(db: Reader, input: { workflowId: string }): Promise<Snapshot | null> {
  return (await readSnapshot(db, input.workflowId)) && (await mustSnapshot(db, input.workflowId));
}
