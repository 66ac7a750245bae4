import type { Client } from "@temporalio/client";
import type { Kysely } from "kysely";
import type { AnyWorkflow } from "../definition/define.ts";
import { pickFields, validateState } from "../definition/validate.ts";
import { TaskNotOpen, UnknownTask, UnknownWorkflow } from "../errors.ts";
import type { CompiledGraph } from "../graph/types.ts";
import { isStartKind } from "../graph/types.ts";
import { uuidv7 } from "../ids.ts";
import type { MessageArgs, MessageName, MessageResult } from "../interpreter/protocol.ts";
import type { JoeflowDatabase } from "../store/schema.ts";
import { getTask, getWorkflow, graphByVersion, listTasks, listWorkflows, stateHistory } from "./queries.ts";
import { sendMessage, startAndWait } from "./send.ts";
import type { ListOptions, ListTasksOptions, Page, StateChange, TaskSummary, WorkflowSummary, WorkflowView } from "./types.ts";

export const DEFAULT_TASK_QUEUE = "joeflow";

export interface JoeflowOptions<DB> {
  readonly db: Kysely<DB>;
  readonly temporal: Client;
  readonly workflows: readonly AnyWorkflow[];
  readonly taskQueue?: string;
  /** Continue-as-new once a run's history has this many events (default 10,000; Temporal's limit is 51,200). */
  readonly historyLimit?: number;
}

export interface StartOptions {
  /** The start task to run; may be left out when the workflow has only one. */
  readonly task?: string;
  readonly state: Record<string, unknown>;
  readonly user?: string | null;
}

export interface CompleteOptions {
  readonly data: Record<string, unknown>;
  readonly user?: string | null;
  /** Pick among the task's outgoing edges; all of them when left out. */
  readonly next?: readonly string[];
}

export interface OverrideOptions {
  readonly state?: Record<string, unknown>;
  readonly next: readonly string[];
  readonly user?: string | null;
}

export interface Joeflow {
  readonly workflows: ReadonlyMap<string, AnyWorkflow>;
  readonly taskQueue: string;
  start(workflow: string | AnyWorkflow, options: StartOptions): Promise<{ workflowId: string }>;
  completeTask(taskId: string, options: CompleteOptions): Promise<MessageResult>;
  override(workflowId: string, options: OverrideOptions): Promise<MessageResult>;
  rerun(taskId: string, options?: { user?: string | null }): Promise<MessageResult>;
  cancelTask(taskId: string, options?: { user?: string | null }): Promise<MessageResult>;
  cancelWorkflow(workflowId: string, options?: { user?: string | null }): Promise<MessageResult>;
  get(workflowId: string): Promise<WorkflowView>;
  /** One task, with its workflow's name. */
  getTask(taskId: string): Promise<TaskSummary>;
  list(options?: ListOptions): Promise<Page<WorkflowSummary>>;
  listTasks(options?: ListTasksOptions): Promise<Page<TaskSummary>>;
  history(workflowId: string): Promise<StateChange[]>;
  /** The compiled graph an instance runs, by its `graphVersion`. */
  graph(version: string): Promise<CompiledGraph>;
}

/** What sending a message needs to know of an instance. */
interface Instance {
  readonly id: string;
  readonly name: string;
  readonly graph_version: string;
}

/** The joeflow client: starts instances and sends them messages; reads come from the tables. */
export function createJoeflow<DB>(options: JoeflowOptions<DB>): Joeflow {
  const db = options.db.withTables<JoeflowDatabase>() as unknown as Kysely<JoeflowDatabase>;
  const temporal = options.temporal;
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const workflows = new Map(options.workflows.map((w) => [w.name, w]));

  function definitionOf(workflow: string | AnyWorkflow): AnyWorkflow {
    const name = typeof workflow === "string" ? workflow : workflow.name;
    const definition = workflows.get(name);
    if (!definition) throw new UnknownWorkflow(name);
    return definition;
  }

  async function instance(workflowId: string): Promise<Instance> {
    const row = await db.selectFrom("joeflow_workflow").select(["id", "name", "graph_version"])
      .where("id", "=", workflowId).executeTakeFirst();
    if (!row) throw new UnknownWorkflow(workflowId);
    return row;
  }

  async function send<K extends MessageName>(
    workflow: string | Instance, message: K, args: MessageArgs[K],
  ): Promise<MessageResult> {
    const row = typeof workflow === "string" ? await instance(workflow) : workflow;
    const graph = () => graphByVersion(db, row.graph_version);
    return await sendMessage({ temporal, taskQueue, workflowId: row.id, name: row.name, graph }, message, args);
  }

  /** The instance of a task that must be open: one read, before anything is sent. */
  async function openTask(taskId: string, allowed: readonly string[]): Promise<Instance> {
    const task = await db.selectFrom("joeflow_task as t").innerJoin("joeflow_workflow as w", "w.id", "t.workflow_id")
      .select(["t.status", "w.id", "w.name", "w.graph_version"]).where("t.id", "=", taskId).executeTakeFirst();
    if (!task) throw new UnknownTask(taskId);
    if (!allowed.includes(task.status)) throw new TaskNotOpen(taskId, task.status);
    return task;
  }

  return {
    workflows,
    taskQueue,
    async start(workflow, start) {
      const definition = definitionOf(workflow);
      const task = startTask(definition, start.task);
      const compiled = definition.graph.tasks[task]!;
      const given = compiled.kind === "startView" ? pickFields(start.state, compiled.fields) : start.state;
      const state = validateState(definition.state, given);
      const workflowId = uuidv7();
      await startAndWait(temporal, taskQueue, definition.name, {
        kind: "start", workflowId, graph: definition.graph, task, state, user: start.user ?? null,
        historyLimit: options.historyLimit,
      });
      return { workflowId };
    },
    async completeTask(taskId, complete) {
      const task = await openTask(taskId, ["scheduled"]);
      return await send(task, "completeTask", { taskId, data: complete.data, user: complete.user ?? null, next: complete.next });
    },
    override: (workflowId, o) => send(workflowId, "override", { state: o.state, next: o.next, user: o.user ?? null }),
    async rerun(taskId, o = {}) {
      const task = await openTask(taskId, ["failed"]);
      return await send(task, "rerun", { taskId, user: o.user ?? null });
    },
    async cancelTask(taskId, o = {}) {
      const task = await openTask(taskId, ["scheduled", "failed"]);
      return await send(task, "cancelTask", { taskId, user: o.user ?? null });
    },
    cancelWorkflow: (workflowId, o = {}) => send(workflowId, "cancelWorkflow", { user: o.user ?? null }),
    get: (workflowId) => getWorkflow(db, workflowId),
    getTask: (taskId) => getTask(db, taskId),
    list: (o) => listWorkflows(db, o),
    listTasks: (o) => listTasks(db, o),
    history: (workflowId) => stateHistory(db, workflowId),
    graph: (version) => graphByVersion(db, version),
  };
}

function startTask(definition: AnyWorkflow, requested: string | undefined): string {
  const starts = Object.entries(definition.graph.tasks).filter(([, t]) => isStartKind(t)).map(([name]) => name);
  if (requested === undefined) {
    if (starts.length === 1) return starts[0]!;
    throw new UnknownTask("(none)", `workflow "${definition.name}" has several start tasks (${starts.join(", ")}): pick one`);
  }
  if (!starts.includes(requested)) throw new UnknownTask(requested, `not a start task of workflow "${definition.name}"`);
  return requested;
}
