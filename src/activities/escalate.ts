/**
 * A person's task passed its due date: its definition's `onDue` is applied in one transaction under
 * the instance's lock. Going to other tasks cancels it (recorded, as an override would be); reassigning
 * gives it to others, unclaimed; without `onDue` it is only marked. Either way it is marked escalated,
 * so the interpreter arms no timer for it again, and a retry finds it done and changes nothing.
 */
import { derivedId } from "../graph/hash.ts";
import { taskOf } from "../graph/types.ts";
import type { EscalateInput, Snapshot } from "../interpreter/protocol.ts";
import { settledStatus } from "../interpreter/status.ts";
import { markEscalated } from "../store/due.ts";
import { commitTransition, lockInstance, mustSnapshot } from "../store/instances.ts";
import { recordMessage } from "../store/messages.ts";
import { closeTask, countOpenTasks, findTaskOf, type LockedTask, replaceAssignees } from "../store/tasks.ts";
import type { Tx } from "../store/db.ts";
import type { WorkflowRow } from "../store/schema.ts";
import { splitAssignees } from "../definition/assignees.ts";
import { type ActivityContext, eventsWanted, graphOf } from "./context.ts";
import { startNextTasks } from "./next-tasks.ts";

/** The name its record has in the instance's actions. */
export const ESCALATE = "escalate";

export async function escalateTask(ctx: ActivityContext, input: EscalateInput): Promise<Snapshot | null> {
  return await ctx.db.transaction().execute(async (tx) => {
    const workflow = await lockInstance(tx, input.workflowId);
    if (!workflow) return null;
    const at = new Date(input.at);
    const task = await findTaskOf(tx, workflow.id, input.taskId);
    // Done, moved or escalated meanwhile (or this is a retry after the commit): nothing is due.
    if (!isDue(task, at)) return await mustSnapshot(tx, workflow.id);
    await markEscalated(tx, task.id, at);
    const canceled = await applyOnDue(ctx, tx, workflow, task, at);
    await recordMessage(tx, {
      id: derivedId(task.id, ESCALATE, String(task.due.getTime())),
      workflowId: workflow.id,
      name: ESCALATE,
      taskId: task.id,
      user: null,
      at,
    });
    const status = canceled ? settledStatus(await countOpenTasks(tx, workflow.id), "canceled") : undefined;
    const events = eventsWanted(ctx, workflow.name, { message: ESCALATE, overdue: [task.id] });
    return await commitTransition(tx, workflow.id, { at, ...(status === "canceled" ? { status } : {}), events });
  });
}

function isDue(task: LockedTask | undefined, at: Date): task is LockedTask & { due: Date } {
  if (task?.status !== "scheduled" || task.type !== "human" || task.escalated) return false;
  return task.due !== null && new Date(task.due).getTime() <= at.getTime();
}

/** The definition's `onDue`, carried out; true when it cancelled the task. */
async function applyOnDue(
  ctx: ActivityContext,
  tx: Tx,
  workflow: WorkflowRow,
  task: LockedTask,
  at: Date,
): Promise<boolean> {
  const graph = await graphOf(ctx, tx, workflow.graph_version);
  const compiled = taskOf(graph, task.name);
  const onDue = compiled?.kind === "updateView" ? compiled.onDue : undefined;
  const definition = ctx.workflows.get(workflow.name);
  if (!onDue) return false;
  const previous = { id: task.id, name: task.name, completedByUser: null };
  if ("goTo" in onDue) {
    await closeTask(tx, task.id, { status: "canceled", user: null, at });
    const { id: workflowId, state } = workflow;
    await startNextTasks(tx, { workflowId, graph, definition, parent: previous, names: onDue.goTo, state, at });
    return true;
  }
  // Reassigned by the definition on this worker; one that no longer says to whom only marks the task.
  const rule = definition?.runtime.get(task.name)?.dueAssignees;
  if (!rule) return false;
  const list = typeof rule === "function" ? await rule({ state: structuredClone(workflow.state), previous }) : rule;
  await replaceAssignees(tx, task.id, splitAssignees(list), at);
  return false;
}
