import type { AnyWorkflow } from "../definition/define.ts";
import type { PreviousTask } from "../definition/types.ts";
import { derivedId } from "../graph/hash.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type { Tx } from "./context.ts";

export interface NextTasks {
  readonly workflowId: string;
  readonly graph: CompiledGraph;
  readonly definition: AnyWorkflow | undefined;
  /** The task they follow; new ids derive from its id, so a retried transaction makes the same rows. */
  readonly parent: PreviousTask;
  readonly names: readonly string[];
  readonly state: Record<string, unknown>;
  readonly at: Date;
}

/** Creates the tasks that follow `parent` (joeflow's start_next_tasks), or joins the open join. */
export async function startNextTasks(tx: Tx, next: NextTasks): Promise<void> {
  for (const name of next.names) {
    const task = next.graph.tasks[name];
    if (!task) throw new TypeError(`"${name}" is not a task of workflow "${next.graph.name}"`);
    const openJoin = task.kind === "join" ? await findOpenJoin(tx, next.workflowId, name) : undefined;
    const id = openJoin ?? derivedId(next.parent.id, name);
    if (!openJoin) {
      await tx.insertInto("joeflow_task").values({
        id, workflow_id: next.workflowId, name, type: task.type, status: "scheduled", attempt: 1,
        completed_by_user: null, created: next.at, modified: next.at, completed: null, exception: null, stacktrace: null,
      }).onConflict((oc) => oc.column("id").doNothing()).execute();
      await assign(tx, id, name, next);
    }
    await tx.insertInto("joeflow_task_parent").values({ task_id: id, parent_id: next.parent.id })
      .onConflict((oc) => oc.columns(["task_id", "parent_id"]).doNothing()).execute();
  }
}

async function findOpenJoin(tx: Tx, workflowId: string, name: string): Promise<string | undefined> {
  const row = await tx.selectFrom("joeflow_task").select("id")
    .where("workflow_id", "=", workflowId).where("name", "=", name).where("status", "=", "scheduled")
    .orderBy("seq").executeTakeFirst();
  return row?.id;
}

async function assign(tx: Tx, taskId: string, name: string, next: NextTasks): Promise<void> {
  const rule = next.definition?.runtime.get(name)?.assignees;
  if (!rule) return;
  const users = typeof rule === "function"
    ? await rule({ state: structuredClone(next.state), previous: next.parent })
    : rule;
  const unique = [...new Set(users.map(String))];
  if (unique.length === 0) return;
  await tx.insertInto("joeflow_task_assignee").values(unique.map((user_id) => ({ task_id: taskId, user_id })))
    .onConflict((oc) => oc.columns(["task_id", "user_id"]).doNothing()).execute();
}
