import type { AnyWorkflow } from "../definition/define.ts";
import type { PreviousTask } from "../definition/types.ts";
import { derivedId } from "../graph/hash.ts";
import { type CompiledGraph, taskOf } from "../graph/types.ts";
import type { OpenTask } from "../interpreter/protocol.ts";
import type { Tx } from "../store/db.ts";
import { recordStateChange, type StateChangeRecord } from "../store/history.ts";
import { type Committed, type StepWrites, writeStep } from "../store/steps.ts";
import type { WorkflowRow } from "../store/schema.ts";
import { splitAssignees, type Split } from "../definition/assignees.ts";
import { dueDateOf } from "../definition/due.ts";
import {
  closeTask,
  findScheduledByName,
  insertAssignees,
  insertGroups,
  insertParents,
  insertTask,
} from "../store/tasks.ts";

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

/** A task that startNextTasks started (a new one, with its due date if it has one), or the open join it arrived at. */
export interface StartedTask {
  readonly id: string;
  readonly name: string;
  readonly due?: Date;
}

/**
 * Creates the tasks that follow `parent` (joeflow's start_next_tasks), or joins the open join;
 * answers them (a chain of machine steps goes on with the one it started).
 */
export async function startNextTasks(tx: Tx, next: NextTasks): Promise<StartedTask[]> {
  const started: StartedTask[] = [];
  for (const name of next.names) {
    const task = taskOf(next.graph, name);
    if (!task) throw new TypeError(`"${name}" is not a task of workflow "${next.graph.name}"`);
    const openJoin = task.kind === "join" ? await findScheduledByName(tx, next.workflowId, name) : undefined;
    const id = openJoin ?? derivedId(next.parent.id, name);
    const due = openJoin ? undefined : dueDateOf(task, next.definition?.runtime.get(name), next.state, next.at);
    if (!openJoin) {
      await insertTask(tx, { id, workflowId: next.workflowId, name, type: task.type, at: next.at, due });
      const { users, groups } = await assignees(name, next);
      await insertAssignees(tx, id, users);
      await insertGroups(tx, id, groups);
    }
    await insertParents(tx, id, [next.parent.id]);
    started.push({ id, name, ...(due ? { due } : {}) });
  }
  return started;
}

/**
 * A task just created after `parent`, as the snapshot would read it back (readSnapshot's openTasks):
 * the transactions that know what they created answer it without a statement.
 */
export function newOpenTask(
  graph: CompiledGraph,
  task: { readonly id: string; readonly name: string; readonly due?: Date },
  parent: string,
  at: Date,
): OpenTask {
  const type = graph.tasks[task.name]?.type ?? "machine";
  const due = type === "human" && task.due ? { due: task.due.getTime() } : {};
  return {
    id: task.id,
    name: task.name,
    type,
    status: "scheduled",
    created: at.getTime(),
    attempt: 1,
    parentNames: [parent],
    ...due,
  };
}

/** The users and groups the definition assigns the new task to, by a list or a function of the state. */
async function assignees(name: string, next: NextTasks): Promise<Split> {
  const rule = next.definition?.runtime.get(name)?.assignees;
  if (!rule) return { users: [], groups: [] };
  const list =
    typeof rule === "function" ? await rule({ state: structuredClone(next.state), previous: next.parent }) : rule;
  return splitAssignees(list);
}

export interface AfterTask {
  readonly workflow: WorkflowRow;
  readonly graph: CompiledGraph;
  readonly definition: AnyWorkflow;
  /** The task a person just did (a human task, or an override). */
  readonly task: { readonly id: string; readonly name: string };
  readonly user: string | null;
  readonly state: Record<string, unknown>;
  readonly names: readonly string[];
  readonly at: Date;
}

/** After a person's task: the state change recorded (if there is one), and the tasks that follow it started. */
export async function afterTask(tx: Tx, after: AfterTask): Promise<void> {
  const { workflow, task, user, at } = after;
  await recordStateChange(tx, {
    workflowId: workflow.id,
    taskId: task.id,
    taskName: task.name,
    user,
    at,
    before: workflow.state,
    after: after.state,
  });
  await startNextTasks(tx, {
    workflowId: workflow.id,
    graph: after.graph,
    definition: after.definition,
    parent: { id: task.id, name: task.name, completedByUser: user },
    names: after.names,
    state: after.state,
    at,
  });
}

/**
 * A machine step's writes after its run: its task closed, the state change recorded, the tasks after
 * it started. In one statement when it starts at most one task that is no join and has no assignees
 * and no due date (a chain's usual step): then `exact`, the started tasks are new and have this one parent (what a
 * chain's delta says); otherwise as after a person's task.
 */
export async function finishMachineStep(
  tx: Tx,
  step: Omit<NextTasks, "parent"> & {
    readonly task: { id: string; name: string };
    readonly change: StateChangeRecord;
    /** Commit the revision in the writes' statement when it can (see writeStep). */
    readonly commit?: StepWrites["commit"];
  },
): Promise<{ started: readonly { id: string; name: string }[]; exact: boolean; committed?: Committed }> {
  const { task, at } = step;
  const [name] = step.names;
  const only = step.names.length === 1 && name !== undefined ? taskOf(step.graph, name) : undefined;
  const plain = only && only.kind !== "join" && !(only.kind === "updateView" && only.due);
  if (step.names.length === 0 || (plain && !step.definition?.runtime.get(name!)?.assignees)) {
    const next = only && {
      id: derivedId(task.id, name!),
      workflowId: step.workflowId,
      name: name!,
      type: only.type,
      at,
    };
    const { workflowId, change, commit } = step;
    const committed = await writeStep(tx, { workflowId, taskId: task.id, at, change, next, commit });
    return { started: next ? [{ id: next.id, name: next.name }] : [], exact: true, committed };
  }
  await recordStateChange(tx, step.change);
  await closeTask(tx, task.id, { status: "succeeded", user: null, at });
  const parent = { id: task.id, name: task.name, completedByUser: null };
  return { started: await startNextTasks(tx, { ...step, parent }), exact: false };
}
