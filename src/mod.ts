export { defineWorkflow } from "./definition/define.ts";
export type { AnyWorkflow, TaskRuntime, WorkflowDefinition } from "./definition/define.ts";
export { tasks } from "./definition/tasks.ts";
export type { TaskKinds } from "./definition/tasks.ts";
export { WorkflowDefinitionError } from "./definition/errors.ts";
export type { Duration } from "./definition/duration.ts";
export type {
  Assignees, BackoffOptions, MachineContext, MachineFunction, MachineResult, PreviousTask, StateSchema, TaskHandle,
  TaskInfo, WorkflowInfo, WorkflowOptions,
} from "./definition/types.ts";
export type { CompiledGraph, CompiledTask, Rankdir, TaskKind, TaskType } from "./graph/types.ts";
export { createJoeflow, DEFAULT_TASK_QUEUE } from "./client/joeflow.ts";
export type { CompleteOptions, Joeflow, JoeflowOptions, OverrideOptions, StartOptions } from "./client/joeflow.ts";
export type {
  ListOptions, ListTasksOptions, Page, StateChange, TaskStatus, TaskSummary, TaskView, WorkflowStatus, WorkflowSummary,
  WorkflowView,
} from "./client/types.ts";
export type { MessageResult } from "./interpreter/protocol.ts";
export {
  InvalidData, JoeflowError, NotAssignee, ObsoleteTask, TaskNotOpen, UnknownTask, UnknownWorkflow,
} from "./errors.ts";
export type { DataIssue, ErrorCode } from "./errors.ts";
export { migrateToLatest } from "./store/migrate.ts";
export type { JoeflowDatabase } from "./store/schema.ts";
