import { successors } from "../graph/types.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type { Snapshot } from "../interpreter/protocol.ts";
import { type ActivityContext, recordStateChange } from "./context.ts";
import { startNextTasks } from "./children.ts";
import { commitTransition, readSnapshot } from "./snapshot.ts";

export interface CreateInstance {
  readonly workflowId: string;
  readonly graph: CompiledGraph;
  readonly task: string;
  readonly taskId: string;
  readonly state: Record<string, unknown>;
  readonly user: string | null;
  readonly at: number;
}

/** Creates the instance, its finished start task and the tasks after it, in one transaction. */
export async function createInstance(ctx: ActivityContext, input: CreateInstance): Promise<Snapshot> {
  return await ctx.db.transaction().execute(async (tx) => {
    const existing = await readSnapshot(tx, input.workflowId);
    if (existing) return existing; // a retry after the commit: nothing more to do
    const at = new Date(input.at);
    const start = input.graph.tasks[input.task]!;
    await tx.insertInto("joeflow_graph")
      .values({ version: input.graph.version, name: input.graph.name, graph: JSON.stringify(input.graph), created: at })
      .onConflict((oc) => oc.column("version").doNothing()).execute();
    await tx.insertInto("joeflow_workflow").values({
      id: input.workflowId, name: input.graph.name, status: "running", state: JSON.stringify(input.state),
      graph_version: input.graph.version, revision: 0, created: at, modified: at,
    }).execute();
    await tx.insertInto("joeflow_task").values({
      id: input.taskId, workflow_id: input.workflowId, name: input.task, type: start.type, status: "succeeded",
      attempt: 1, completed_by_user: input.user, created: at, modified: at, completed: at, exception: null, stacktrace: null,
    }).execute();
    await recordStateChange(tx, {
      workflowId: input.workflowId, taskId: input.taskId, taskName: input.task, user: input.user, at,
      before: null, after: input.state,
    });
    await startNextTasks(tx, {
      workflowId: input.workflowId, graph: input.graph, definition: ctx.workflows.get(input.graph.name),
      parent: { id: input.taskId, name: input.task, completedByUser: input.user },
      names: successors(input.graph, input.task), state: input.state, at,
    });
    return await commitTransition(tx, input.workflowId, { at });
  });
}

export async function loadSnapshot(ctx: ActivityContext, input: { workflowId: string }): Promise<Snapshot | null> {
  return await readSnapshot(ctx.db, input.workflowId);
}
