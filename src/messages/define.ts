/**
 * What one message is, in one place: its transaction, its precheck (shared by the client, the pages,
 * the API and the transaction itself) and its HTTP route. The registry (registry.ts) drives the
 * interpreter's handlers, the activity, the client's sending and the API's routes from these.
 */
import type { z } from "zod";
import type { ActivityContext } from "../activities/context.ts";
import type { AnyWorkflow } from "../definition/define.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type { Tx } from "../store/db.ts";
import type { Transition } from "../store/instances.ts";
import type { WorkflowRow } from "../store/schema.ts";
import type { TaskStatus } from "../store/views.ts";
import type { MessageArgs, MessageName } from "./args.ts";

/** What a message's transaction works with; the instance's row is locked. */
export interface MessageTx {
  readonly ctx: ActivityContext;
  readonly tx: Tx;
  readonly workflow: WorkflowRow;
  /** The message's id: an override's task id derives from it. */
  readonly messageId: string;
  readonly at: Date;
  graph(): Promise<CompiledGraph>;
  /** The instance's definition on this worker; ObsoleteTask/UnknownWorkflow when it has none. */
  definition(): AnyWorkflow | undefined;
}

/** What a message did: the task it concerned, and the transition to commit. */
export interface Applied {
  readonly taskId: string | null;
  readonly transition: Transition;
}

/** What the precheck of a task message looks at: the task as read, with its assignees and claim. */
export interface TaskFacts {
  readonly id: string;
  readonly name: string;
  readonly type: "human" | "machine";
  readonly status: TaskStatus;
  /** The users it is assigned to. */
  readonly assignees: readonly string[];
  /** The groups it is offered to: a member claims it before working on it. */
  readonly groups: readonly string[];
  /** Who claimed it; only they complete or release it. */
  readonly claimedBy: string | null;
}

/**
 * What a person may do beyond the tasks assigned to them; the web app's auth hook answers it. `claim`
 * covers claiming and releasing; `assign` reassigning anyone's task (their own one needs none).
 */
export type Permission = "view" | "start" | "complete" | "claim" | "assign" | "override" | "rerun" | "cancel";

/** How the JSON API serves a message: `POST /api/tasks/{taskId}/{verb}` or `POST /api/{name}/{id}/{verb}`. */
export interface MessageRoute<K extends MessageName, B> {
  readonly verb: string;
  readonly operationId: string;
  readonly summary: string;
  /** The request body; `{}` or an empty body for messages that take no arguments. */
  readonly body: z.ZodType<B>;
  /** The message's arguments from the body, the path's task, the signed-in user and their groups. */
  args(body: B, request: MessageRequest): MessageArgs[K];
  /** Errors that mean a bad body rather than a missing resource. */
  bodyError?(error: unknown, body: B): unknown;
  /** A message without a form is a button on the workflow page; destructive ones ask first. */
  readonly button?: { readonly label: string };
}

/** Who sends a message over HTTP, and to which task ("" for an instance's messages). */
export interface MessageRequest {
  readonly taskId: string;
  readonly user: string | null;
  /** The user's groups, as the web app's Auth hook says them. */
  readonly groups: readonly string[];
  /** Let through as the task's own (ownTask) rather than by the message's permission. */
  readonly asOwner?: boolean;
}

interface Common<K extends MessageName, B> {
  readonly name: K;
  readonly permission: Permission;
  /** The message's own change, under the instance's lock; throws a JoeflowError to change nothing. */
  apply(m: MessageTx, args: MessageArgs[K]): Promise<Applied>;
  readonly route: MessageRoute<K, B>;
}

/** A message about one task: the client finds the instance through the task. */
export interface TaskMessage<K extends MessageName, B = unknown> extends Common<K, B> {
  readonly target: "task";
  /**
   * Throws a typed error when the task cannot take this message from this user; pure, so the client,
   * the pages, the API and the transaction share it.
   */
  precheck(task: TaskFacts, user: string | null, groups?: readonly string[]): void;
  /**
   * Whether the caller may send this without its `permission`, the task being theirs (its claimer or
   * direct assignee delegating it); `view` is asked all the same.
   */
  ownTask?(task: TaskFacts, user: string | null): boolean;
}

/** A message about the whole instance. */
export interface InstanceMessage<K extends MessageName, B = unknown> extends Common<K, B> {
  readonly target: "instance";
}

export type MessageDefinition<K extends MessageName, B = unknown> = TaskMessage<K, B> | InstanceMessage<K, B>;

/** What the web app and other callers may know of a message: everything but its transaction. */
export type MessageInfo<K extends MessageName, B = unknown> =
  | Omit<TaskMessage<K, B>, "apply">
  | Omit<InstanceMessage<K, B>, "apply">;
