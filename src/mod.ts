export { defineWorkflow } from "./definition/define.ts";
export type { AnyWorkflow, TaskRuntime, WorkflowDefinition } from "./definition/define.ts";
export { tasks } from "./definition/tasks.ts";
export type { TaskKinds } from "./definition/tasks.ts";
export { instanceTitle, labelOf, shortId, TITLE_MAX, taskLabel } from "./definition/title.ts";
export { WorkflowDefinitionError } from "./definition/errors.ts";
export type { Duration } from "./definition/duration.ts";
export type {
  Assignee,
  Assignees,
  BackoffOptions,
  MachineContext,
  MachineFunction,
  MachineResult,
  PreviousTask,
  StateSchema,
  ChildWorkflow,
  SubflowSpec,
  TaskHandle,
  TaskInfo,
  WorkflowInfo,
  WorkflowOptions,
} from "./definition/types.ts";
export type { CompiledGraph, CompiledTask, Rankdir, TaskKind, TaskType } from "./graph/types.ts";
export { isStartKind, predecessors, successors } from "./graph/types.ts";
export { HOOK_EVENT_KINDS } from "./definition/hooks.ts";
export type {
  Hook,
  HookContext,
  HookEvent,
  HookEventKind,
  Hooks,
  HookTask,
  TaskEvent,
  TaskEventKind,
  WorkflowEvent,
  WorkflowEventKind,
} from "./definition/hooks.ts";
export { toIssue } from "./definition/validate.ts";
export { createJoeflow, DEFAULT_TASK_QUEUE } from "./client/joeflow.ts";
export type {
  ClaimOptions,
  CompleteOptions,
  InstanceRef,
  Joeflow,
  JoeflowOptions,
  MessageTarget,
  OverrideOptions,
  ReassignOptions,
  SetDueOptions,
  StartOptions,
  TaskRef,
} from "./client/joeflow.ts";
export { INBOX_SCOPES } from "./store/inbox.ts";
export type {
  HookDelivery,
  InboxOptions,
  InboxPage,
  InboxScope,
  ListOptions,
  ListTasksOptions,
  MessageRecord,
  Page,
  StateChange,
  TaskStatus,
  TaskSummary,
  TaskView,
  WorkflowStatus,
  WorkflowSummary,
  WorkflowView,
} from "./store/views.ts";
export type { Changes, InstanceChange } from "./store/changes.ts";
export { MESSAGE_NAMES } from "./messages/args.ts";
export type { AssigneeArg, MessageArgs, MessageName, MessageResult } from "./messages/args.ts";
export { MESSAGE_INFO } from "./messages/registry.ts";
export { offerOf } from "./messages/offer.ts";
export type { Offer } from "./messages/offer.ts";
export type { MessageInfo, MessageRequest, MessageRoute, Permission, TaskFacts } from "./messages/define.ts";
export {
  ERROR_CODES,
  InvalidData,
  JoeflowError,
  NotAssignee,
  NotClaimed,
  NotHumanTask,
  ObsoleteTask,
  SubflowNotServed,
  TaskClaimed,
  TaskNotOpen,
  UnknownTask,
  UnknownWorkflow,
  WorkflowNotRunning,
} from "./errors.ts";
export type { DataIssue, ErrorCode, ErrorData } from "./errors.ts";
export { migrateToLatest } from "./store/migrate.ts";
export type { MigrateOptions } from "./store/migrate.ts";
export { createPostgresDb } from "./store/postgres.ts";
export type { PostgresOptions } from "./store/postgres.ts";
export type { JoeflowDatabase } from "./store/schema.ts";
export { SIGNATURE_HEADER, signatureHeader, verifyWebhook, webhook } from "./hooks/webhook.ts";
export type { VerifyWebhookOptions, WebhookHook, WebhookOptions, WebhookVerification } from "./hooks/webhook.ts";
export { TASK_LINK_PARAMS, taskLink, verifyTaskLink } from "./hooks/links.ts";
export type { TaskLinkCheck, TaskLinkOptions, TaskLinkTarget } from "./hooks/links.ts";
