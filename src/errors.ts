/**
 * Typed errors: each carries its data (`error.data`, a tagged union) from the store through the
 * interpreter and the client to HTTP, where web/ maps the code to a status. Bad input changes nothing.
 * Pure code: the interpreter imports it inside Temporal's workflow sandbox.
 */

/** One problem with submitted data, as zod reports it. */
export interface DataIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly code?: string;
}

/** The data an error carries, enough to rebuild it on the other side of Temporal. */
export type ErrorData =
  | { readonly code: "TaskNotOpen"; readonly taskId: string; readonly status: string }
  | {
      readonly code: "NotAssignee";
      readonly taskId: string;
      readonly user: string | null;
      readonly assignees: readonly string[];
      /** The groups the task is offered to, when it is offered to any. */
      readonly groups?: readonly string[];
    }
  | { readonly code: "TaskClaimed"; readonly taskId: string; readonly claimedBy: string }
  | { readonly code: "NotClaimed"; readonly taskId: string }
  | { readonly code: "NotHumanTask"; readonly taskId: string; readonly name: string }
  | { readonly code: "InvalidData"; readonly issues: readonly DataIssue[] }
  | { readonly code: "UnknownWorkflow"; readonly workflow: string }
  | { readonly code: "WorkflowNotRunning"; readonly workflowId: string; readonly status: string }
  | { readonly code: "UnknownTask"; readonly task: string; readonly detail: string }
  | { readonly code: "ObsoleteTask"; readonly workflow: string; readonly task: string }
  | { readonly code: "SubflowNotServed"; readonly workflow: string; readonly task: string; readonly child: string };

export type ErrorCode = ErrorData["code"];

type DataOf<C extends ErrorCode> = Extract<ErrorData, { code: C }>;

/** Base of every error joeflow throws on bad input. */
export class JoeflowError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly data: DataOf<C>;
  constructor(data: DataOf<C>, message: string) {
    super(message);
    this.code = data.code;
    this.data = data;
    this.name = data.code;
  }
}

export class TaskNotOpen extends JoeflowError<"TaskNotOpen"> {
  readonly taskId: string;
  readonly status: string;
  constructor(taskId: string, status: string) {
    super({ code: "TaskNotOpen", taskId, status }, `Task ${taskId} is not open (it is ${status}).`);
    this.taskId = taskId;
    this.status = status;
  }
}

export class NotAssignee extends JoeflowError<"NotAssignee"> {
  readonly taskId: string;
  readonly user: string | null;
  readonly assignees: readonly string[];
  readonly groups: readonly string[];
  constructor(taskId: string, user: string | null, assignees: readonly string[], groups: readonly string[] = []) {
    const who = [...assignees, ...groups.map((g) => `group ${g}`)].join(", ");
    super(
      { code: "NotAssignee", taskId, user, assignees, ...(groups.length ? { groups } : {}) },
      `User ${user ?? "(none)"} is not an assignee of task ${taskId} (assignees: ${who}).`,
    );
    this.taskId = taskId;
    this.user = user;
    this.assignees = assignees;
    this.groups = groups;
  }
}

/** Somebody else took the task from its queue: only they complete or release it. */
export class TaskClaimed extends JoeflowError<"TaskClaimed"> {
  readonly taskId: string;
  readonly claimedBy: string;
  constructor(taskId: string, claimedBy: string) {
    super({ code: "TaskClaimed", taskId, claimedBy }, `Task ${taskId} is claimed by ${claimedBy}.`);
    this.taskId = taskId;
    this.claimedBy = claimedBy;
  }
}

/** A group's task is claimed before it is worked on; a release needs a claim to hand back. */
export class NotClaimed extends JoeflowError<"NotClaimed"> {
  readonly taskId: string;
  constructor(taskId: string, detail = "claim it first") {
    super({ code: "NotClaimed", taskId }, `Task ${taskId} is not claimed: ${detail}.`);
    this.taskId = taskId;
  }
}

export class NotHumanTask extends JoeflowError<"NotHumanTask"> {
  readonly taskId: string;
  constructor(taskId: string, name: string) {
    super(
      { code: "NotHumanTask", taskId, name },
      `Task ${taskId} (${name}) is a machine task: only people's tasks are completed.`,
    );
    this.taskId = taskId;
  }
}

export class InvalidData extends JoeflowError<"InvalidData"> {
  readonly issues: readonly DataIssue[];
  constructor(issues: readonly DataIssue[]) {
    super({ code: "InvalidData", issues }, `Invalid data: ${issues.map(formatIssue).join("; ")}`);
    this.issues = issues;
  }
}

export class UnknownWorkflow extends JoeflowError<"UnknownWorkflow"> {
  readonly workflow: string;
  constructor(workflow: string) {
    super({ code: "UnknownWorkflow", workflow }, `Unknown workflow: ${workflow}`);
    this.workflow = workflow;
  }
}

export class WorkflowNotRunning extends JoeflowError<"WorkflowNotRunning"> {
  readonly workflowId: string;
  readonly status: string;
  constructor(workflowId: string, status: string) {
    super(
      { code: "WorkflowNotRunning", workflowId, status },
      `Workflow ${workflowId} is not running (it is ${status}).`,
    );
    this.workflowId = workflowId;
    this.status = status;
  }
}

export class UnknownTask extends JoeflowError<"UnknownTask"> {
  readonly task: string;
  readonly detail: string;
  constructor(task: string, detail = "no such task") {
    super({ code: "UnknownTask", task, detail }, `Unknown task ${task}: ${detail}`);
    this.task = task;
    this.detail = detail;
  }
}

export class ObsoleteTask extends JoeflowError<"ObsoleteTask"> {
  readonly workflow: string;
  readonly task: string;
  constructor(workflow: string, task: string) {
    super({ code: "ObsoleteTask", workflow, task }, `Task "${task}" no longer exists in workflow "${workflow}".`);
    this.workflow = workflow;
    this.task = task;
  }
}

/** A worker (or test env) is given a workflow whose sub-workflow task starts a workflow it does not serve. */
export class SubflowNotServed extends JoeflowError<"SubflowNotServed"> {
  readonly workflow: string;
  readonly task: string;
  readonly child: string;
  constructor(workflow: string, task: string, child: string) {
    super(
      { code: "SubflowNotServed", workflow, task, child },
      `Task "${task}" of workflow "${workflow}" starts workflow "${child}", which this worker does not serve ` +
        "(list that very definition among its workflows).",
    );
    this.workflow = workflow;
    this.task = task;
    this.child = child;
  }
}

function formatIssue(issue: DataIssue): string {
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

/** The error its data describes. */
export function errorFromData(data: ErrorData): JoeflowError {
  switch (data.code) {
    case "TaskNotOpen":
      return new TaskNotOpen(data.taskId, data.status);
    case "NotAssignee":
      return new NotAssignee(data.taskId, data.user, data.assignees, data.groups);
    case "TaskClaimed":
      return new TaskClaimed(data.taskId, data.claimedBy);
    case "NotClaimed":
      return new NotClaimed(data.taskId);
    case "NotHumanTask":
      return new NotHumanTask(data.taskId, data.name);
    case "InvalidData":
      return new InvalidData(data.issues);
    case "UnknownWorkflow":
      return new UnknownWorkflow(data.workflow);
    case "UnknownTask":
      return new UnknownTask(data.task, data.detail);
    case "WorkflowNotRunning":
      return new WorkflowNotRunning(data.workflowId, data.status);
    case "ObsoleteTask":
      return new ObsoleteTask(data.workflow, data.task);
    case "SubflowNotServed":
      return new SubflowNotServed(data.workflow, data.task, data.child);
  }
}

/** Whether a value is the data of a joeflow error (as it comes back in a Temporal failure's details). */
export function isErrorData(value: unknown): value is ErrorData {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    ERROR_CODES.includes((value as { code: ErrorCode }).code)
  );
}

export const ERROR_CODES: readonly ErrorCode[] = [
  "TaskNotOpen",
  "NotAssignee",
  "TaskClaimed",
  "NotClaimed",
  "NotHumanTask",
  "InvalidData",
  "UnknownWorkflow",
  "UnknownTask",
  "ObsoleteTask",
  "WorkflowNotRunning",
  "SubflowNotServed",
];
