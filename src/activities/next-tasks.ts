import type { AnyWorkflow } from "../definition/define.ts";
import type { PreviousTask } from "../definition/types.ts";
import { derivedId } from "../graph/hash.ts";
import { type CompiledGraph, taskOf } from "../graph/types.ts";
import type { Tx } from "../store/db.ts";
import { findScheduledByName, insertAssignees, insertParents, insertTask } from "../store/tasks.ts";

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
    const task = taskOf(next.graph, name);
    if (!task) throw new TypeError(`"${name}" is not a task of workflow "${next.graph.name}"`);
    const openJoin = task.kind === "join" ? await findScheduledByName(tx, next.workflowId, name) : undefined;
    const id = openJoin ?? derivedId(next.parent.id, name);
    if (!openJoin) {
      await insertTask(tx, { id, workflowId: next.workflowId, name, type: task.type, at: next.at });
      await insertAssignees(tx, id, await assignees(name, next));
    }
    await insertParents(tx, id, [next.parent.id]);
  }
}

/** The users the definition assigns the new task to, by a list or a function of the state. */
async function assignees(name: string, next: NextTasks): Promise<string[]> {
  const rule = next.definition?.runtime.get(name)?.assignees;
  if (!rule) return [];
  const users =
    typeof rule === "function" ? await rule({ state: structuredClone(next.state), previous: next.parent }) : rule;
  return [...new Set(users.map(String))];
}
