import type { Client } from "@temporalio/client";
import type { Kysely } from "kysely";
import type { AnyWorkflow } from "../definition/define.ts";
import { storableIssues } from "../definition/storable.ts";
import { pickFields, validateState } from "../definition/validate.ts";
import { InvalidData, UnknownTask, UnknownWorkflow } from "../errors.ts";
import type { CompiledGraph } from "../graph/types.ts";
import { isStartKind } from "../graph/types.ts";
import { uuidv7 } from "../ids.ts";
import type { AssigneeArg, MessageArgs, MessageName, MessageResult } from "../messages/args.ts";
import { MESSAGES } from "../messages/registry.ts";
import { type Changes, changesSince } from "../store/changes.ts";
import { type Db, joeflowDb } from "../store/db.ts";
import { findInstanceHead } from "../store/instances.ts";
import { readMessages } from "../store/messages.ts";
import { listInbox } from "../store/inbox.ts";
import { getTask, getWorkflow, graphByVersion, listTasks, listWorkflows, stateHistory } from "../store/read-model.ts";
import type {
  ListOptions,
  InboxOptions,
  InboxPage,
  ListTasksOptions,
  MessageRecord,
  Page,
  StateChange,
  TaskSummary,
  WorkflowSummary,
  WorkflowView,
} from "../store/views.ts";
import { type Recipient, temporalTransport, type Transport } from "./temporal.ts";

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
  /** The user's groups, for a task offered to groups: they travel with the message, trusted as `user` is. */
  readonly groups?: readonly string[];
  /** Pick among the task's outgoing edges; all of them when left out. */
  readonly next?: readonly string[];
}

/** Who claims: the user and, for a task offered to groups, the user's groups (trusted as `user` is). */
export interface ClaimOptions {
  readonly user: string;
  readonly groups?: readonly string[];
}

export interface ReassignOptions {
  /** The new assignees, at least one; the task is unclaimed after. */
  readonly assignees: readonly AssigneeArg[];
  readonly user?: string | null;
  /** Sent as the task's own, without the `assign` permission: refused if the user no longer is. */
  readonly asOwner?: boolean;
}

export interface SetDueOptions {
  /** The new due date (a Date, or ISO 8601 text with its offset), or null for none. */
  readonly due: Date | string | null;
  readonly user?: string | null;
}

export interface OverrideOptions {
  readonly state?: Record<string, unknown>;
  readonly next: readonly string[];
  readonly user?: string | null;
}

/** A task as read before: pass it instead of its id, and the client does not read it again. */
export type TaskRef = Pick<
  TaskSummary,
  "id" | "name" | "type" | "status" | "assignees" | "groups" | "claimedBy" | "workflowId" | "workflowName"
>;
/** An instance as read before: pass it instead of its id, and the client does not read it again. */
export type InstanceRef = Pick<WorkflowSummary, "id" | "name" | "graphVersion">;

/** Who a message is for: a task (for task messages) or an instance, by id or as read before. */
export type MessageTarget = string | TaskRef | InstanceRef;

export interface Joeflow {
  readonly workflows: ReadonlyMap<string, AnyWorkflow>;
  readonly taskQueue: string;
  start(workflow: string | AnyWorkflow, options: StartOptions): Promise<{ workflowId: string }>;
  completeTask(task: string | TaskRef, options: CompleteOptions): Promise<MessageResult>;
  override(instance: string | InstanceRef, options: OverrideOptions): Promise<MessageResult>;
  rerun(task: string | TaskRef, options?: { user?: string | null }): Promise<MessageResult>;
  cancelTask(task: string | TaskRef, options?: { user?: string | null }): Promise<MessageResult>;
  cancelWorkflow(instance: string | InstanceRef, options?: { user?: string | null }): Promise<MessageResult>;
  /** Takes a task offered to the user, their group or anybody: then only they complete it. */
  claim(task: string | TaskRef, options: ClaimOptions): Promise<MessageResult>;
  /** Hands a claimed task back to its assignees; only its claimer does. */
  release(task: string | TaskRef, options: { user: string }): Promise<MessageResult>;
  /** Gives a task to other users or groups (a delegation when its assignee does it). */
  reassign(task: string | TaskRef, options: ReassignOptions): Promise<MessageResult>;
  /** Moves an open human task's due date, or takes it away; its passing is planned again. */
  setDue(task: string | TaskRef, options: SetDueOptions): Promise<MessageResult>;
  /**
   * Any message by name, to a task (task messages) or an instance: checks it as the named methods
   * do, then sends it. The web app's routes use it, so a new message needs no new method.
   */
  send<K extends MessageName>(message: K, target: MessageTarget, args: MessageArgs[K]): Promise<MessageResult>;
  get(workflowId: string): Promise<WorkflowView>;
  /** One task, with its workflow's name. */
  getTask(taskId: string): Promise<TaskSummary>;
  list(options?: ListOptions): Promise<Page<WorkflowSummary>>;
  listTasks(options?: ListTasksOptions): Promise<Page<TaskSummary>>;
  /** Open human tasks for a person: scopes (mine, my groups, unassigned, all) with counts, filters and a search. */
  inbox(options: InboxOptions): Promise<InboxPage>;
  history(workflowId: string): Promise<StateChange[]>;
  /** What people and programs did to an instance (its messages: claims, completions, ...), oldest first. */
  actions(workflowId: string): Promise<MessageRecord[]>;
  /** The compiled graph an instance runs, by its `graphVersion`. */
  graph(version: string): Promise<CompiledGraph>;
  /**
   * The instances written since a horizon an earlier answer gave, and the next horizon (without one:
   * just the horizon to start from). Live pages poll it; see src/store/changes.ts.
   */
  changes(since?: string | null): Promise<Changes>;
}

/** The joeflow client: starts instances and sends them messages; reads come from the tables. */
export function createJoeflow<DB>(options: JoeflowOptions<DB>): Joeflow {
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  return createClient({
    db: joeflowDb(options.db),
    workflows: options.workflows,
    taskQueue,
    historyLimit: options.historyLimit,
    transport: temporalTransport(options.temporal, taskQueue),
  });
}

/** The client over any transport; createJoeflow's is Temporal. */
export function createClient(options: {
  db: Db;
  workflows: readonly AnyWorkflow[];
  taskQueue: string;
  historyLimit?: number;
  transport: Transport;
}): Joeflow {
  const { db, transport } = options;
  const workflows = new Map(options.workflows.map((w) => [w.name, w]));

  /** The instance a message goes to; a task message's task is checked on the way, as its transaction will. */
  async function recipient<K extends MessageName>(message: K, target: MessageTarget, args: MessageArgs[K]) {
    const definition = MESSAGES[message];
    if (definition.target === "task") {
      const task = typeof target === "string" ? await getTask(db, target) : target;
      if (!("status" in task)) throw new UnknownTask(task.id, "a task message needs a task, not an instance");
      // The task checked is the task changed: arguments that name another one are refused.
      if ("taskId" in args && args.taskId !== task.id)
        throw new UnknownTask(String(args.taskId), "not the task sent to");
      definition.precheck(task, args.user ?? null, "groups" in args ? args.groups : []);
      return recipientOf({ id: task.workflowId, name: task.workflowName });
    }
    if (typeof target !== "string" && "graphVersion" in target) return recipientOf(target);
    const workflowId = typeof target === "string" ? target : target.workflowId;
    const head = await findInstanceHead(db, workflowId);
    if (!head) throw new UnknownWorkflow(workflowId);
    return recipientOf(head);
  }

  function recipientOf(instance: { id: string; name: string; graphVersion?: string }): Recipient {
    const version = async () => instance.graphVersion ?? (await findInstanceHead(db, instance.id))?.graphVersion ?? "";
    return { workflowId: instance.id, name: instance.name, graph: async () => graphByVersion(db, await version()) };
  }

  async function send<K extends MessageName>(message: K, target: MessageTarget, args: MessageArgs[K]) {
    const to = await recipient(message, target, args);
    checkStorable(args);
    return await transport.send(to, message, args);
  }

  return {
    workflows,
    taskQueue: options.taskQueue,
    async start(workflow, start) {
      const definition = workflows.get(typeof workflow === "string" ? workflow : workflow.name);
      if (!definition) throw new UnknownWorkflow(typeof workflow === "string" ? workflow : workflow.name);
      const task = startTask(definition, start.task);
      const compiled = definition.graph.tasks[task]!;
      const given = compiled.kind === "startView" ? pickFields(start.state, compiled.fields) : start.state;
      const state = validateState(definition.state, given);
      const workflowId = uuidv7();
      await transport.start(definition.name, {
        kind: "start",
        workflowId,
        graph: definition.graph,
        task,
        state,
        user: start.user ?? null,
        historyLimit: options.historyLimit,
      });
      return { workflowId };
    },
    completeTask: (task, o) =>
      send("completeTask", task, {
        taskId: idOf(task),
        data: o.data,
        user: o.user ?? null,
        groups: o.groups ?? [],
        next: o.next,
      }),
    override: (instance, o) => send("override", instance, { state: o.state, next: o.next, user: o.user ?? null }),
    rerun: (task, o = {}) => send("rerun", task, { taskId: idOf(task), user: o.user ?? null }),
    cancelTask: (task, o = {}) => send("cancelTask", task, { taskId: idOf(task), user: o.user ?? null }),
    cancelWorkflow: (instance, o = {}) => send("cancelWorkflow", instance, { user: o.user ?? null }),
    claim: (task, o) => send("claim", task, { taskId: idOf(task), user: o.user, groups: o.groups ?? [] }),
    release: (task, o) => send("release", task, { taskId: idOf(task), user: o.user }),
    reassign: (task, o) =>
      send("reassign", task, { taskId: idOf(task), user: o.user ?? null, assignees: o.assignees, asOwner: o.asOwner }),
    setDue: (task, o) =>
      send("setDue", task, {
        taskId: idOf(task),
        user: o.user ?? null,
        due: o.due instanceof Date ? o.due.toISOString() : o.due,
      }),
    send,
    get: (workflowId) => getWorkflow(db, workflowId),
    getTask: (taskId) => getTask(db, taskId),
    list: (o) => listWorkflows(db, o),
    listTasks: (o) => listTasks(db, o),
    inbox: (o) => listInbox(db, o),
    history: (workflowId) => stateHistory(db, workflowId),
    actions: (workflowId) => readMessages(db, workflowId),
    graph: (version) => graphByVersion(db, version),
    changes: (since) => changesSince(db, since ?? null),
  };
}

function idOf(target: string | { readonly id: string }): string {
  return typeof target === "string" ? target : target.id;
}

function startTask(definition: AnyWorkflow, requested: string | undefined): string {
  const starts = Object.entries(definition.graph.tasks)
    .filter(([, t]) => isStartKind(t))
    .map(([name]) => name);
  if (requested === undefined) {
    if (starts.length === 1) return starts[0]!;
    throw new UnknownTask(
      "(none)",
      `workflow "${definition.name}" has several start tasks (${starts.join(", ")}): pick one`,
    );
  }
  if (!starts.includes(requested))
    throw new UnknownTask(requested, `not a start task of workflow "${definition.name}"`);
  return requested;
}

/**
 * A message Temporal and the database can carry, or InvalidData at once, before anything is sent: the
 * fields of `data` and `state` are named as a form names them.
 */
function checkStorable(args: object): void {
  const issues = storableIssues(args).map((issue) => {
    const [first, ...rest] = issue.path;
    return first === "data" || first === "state" ? { ...issue, path: rest } : issue;
  });
  if (issues.length > 0) throw new InvalidData(issues);
}
