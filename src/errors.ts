/**
 * Typed errors shared by the client, the interpreter and the activities.
 * Pure code: the interpreter imports it inside Temporal's workflow sandbox.
 */

export type ErrorCode =
  | "TaskNotOpen"
  | "NotAssignee"
  | "InvalidData"
  | "UnknownWorkflow"
  | "UnknownTask"
  | "ObsoleteTask";

/** One problem with submitted data, as zod reports it. */
export interface DataIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly code?: string;
}

/** Base of every error the joeflow client throws on bad input. Bad input changes nothing. */
export class JoeflowError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = code;
  }
}

export class TaskNotOpen extends JoeflowError {
  constructor(readonly taskId: string, readonly status: string) {
    super("TaskNotOpen", `Task ${taskId} is not open (it is ${status}).`);
  }
}

export class NotAssignee extends JoeflowError {
  constructor(readonly taskId: string, readonly user: string | null, readonly assignees: readonly string[]) {
    super("NotAssignee", `User ${user ?? "(none)"} is not an assignee of task ${taskId} (assignees: ${assignees.join(", ")}).`);
  }
}

export class InvalidData extends JoeflowError {
  constructor(readonly issues: readonly DataIssue[]) {
    super("InvalidData", `Invalid data: ${issues.map(formatIssue).join("; ")}`);
  }
}

export class UnknownWorkflow extends JoeflowError {
  constructor(readonly workflow: string) {
    super("UnknownWorkflow", `Unknown workflow: ${workflow}`);
  }
}

export class UnknownTask extends JoeflowError {
  constructor(readonly task: string, readonly detail = "no such task") {
    super("UnknownTask", `Unknown task ${task}: ${detail}`);
  }
}

export class ObsoleteTask extends JoeflowError {
  constructor(readonly workflow: string, readonly task: string) {
    super("ObsoleteTask", `Task "${task}" no longer exists in workflow "${workflow}".`);
  }
}

function formatIssue(issue: DataIssue): string {
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

/** The data an error carries across Temporal, enough to rebuild it on the client. */
export type ErrorData =
  | { code: "TaskNotOpen"; taskId: string; status: string }
  | { code: "NotAssignee"; taskId: string; user: string | null; assignees: string[] }
  | { code: "InvalidData"; issues: DataIssue[] }
  | { code: "UnknownWorkflow"; workflow: string }
  | { code: "UnknownTask"; task: string; detail: string }
  | { code: "ObsoleteTask"; workflow: string; task: string };

export function errorFromData(data: ErrorData): JoeflowError {
  switch (data.code) {
    case "TaskNotOpen": return new TaskNotOpen(data.taskId, data.status);
    case "NotAssignee": return new NotAssignee(data.taskId, data.user, data.assignees);
    case "InvalidData": return new InvalidData(data.issues);
    case "UnknownWorkflow": return new UnknownWorkflow(data.workflow);
    case "UnknownTask": return new UnknownTask(data.task, data.detail);
    case "ObsoleteTask": return new ObsoleteTask(data.workflow, data.task);
  }
}

export function errorToData(error: JoeflowError): ErrorData {
  if (error instanceof TaskNotOpen) return { code: error.code as "TaskNotOpen", taskId: error.taskId, status: error.status };
  if (error instanceof NotAssignee) {
    return { code: "NotAssignee", taskId: error.taskId, user: error.user, assignees: [...error.assignees] };
  }
  if (error instanceof InvalidData) return { code: "InvalidData", issues: [...error.issues] };
  if (error instanceof UnknownWorkflow) return { code: "UnknownWorkflow", workflow: error.workflow };
  if (error instanceof UnknownTask) return { code: "UnknownTask", task: error.task, detail: error.detail };
  if (error instanceof ObsoleteTask) return { code: "ObsoleteTask", workflow: error.workflow, task: error.task };
  throw new TypeError(`Not a joeflow error: ${error.message}`);
}
