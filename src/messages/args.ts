/**
 * The messages' names and arguments: the only part of the messages the workflow sandbox imports.
 * Each message's transaction, precheck and HTTP route live in its folder (see registry.ts).
 */
import type { CancelTaskArgs } from "./cancel-task/args.ts";
import type { CancelWorkflowArgs } from "./cancel-workflow/args.ts";
import type { ClaimArgs } from "./claim/args.ts";
import type { CompleteTaskArgs } from "./complete-task/args.ts";
import type { OverrideArgs } from "./override/args.ts";
import type { AssigneeArg, ReassignArgs } from "./reassign/args.ts";
import type { ReleaseArgs } from "./release/args.ts";
import type { RerunArgs } from "./rerun/args.ts";
import type { SetDueArgs } from "./set-due/args.ts";

export type {
  AssigneeArg,
  CancelTaskArgs,
  CancelWorkflowArgs,
  ClaimArgs,
  CompleteTaskArgs,
  OverrideArgs,
  ReassignArgs,
  ReleaseArgs,
  RerunArgs,
  SetDueArgs,
};

export interface MessageArgs {
  completeTask: CompleteTaskArgs;
  override: OverrideArgs;
  rerun: RerunArgs;
  cancelTask: CancelTaskArgs;
  cancelWorkflow: CancelWorkflowArgs;
  claim: ClaimArgs;
  release: ReleaseArgs;
  reassign: ReassignArgs;
  setDue: SetDueArgs;
}

export type MessageName = keyof MessageArgs;

/** Every message, each an Update (with a reply) and a Signal (fire and forget) of this name. */
/** Every message once: a message missing here is a type error, not an update without a handler. */
const NAMES: { readonly [K in MessageName]: true } = {
  completeTask: true,
  override: true,
  rerun: true,
  cancelTask: true,
  cancelWorkflow: true,
  claim: true,
  release: true,
  reassign: true,
  setDue: true,
};
export const MESSAGE_NAMES: readonly MessageName[] = Object.keys(NAMES) as MessageName[];

/** What every message's update returns: the affected task, if any, and the instance's status after. */
export interface MessageResult {
  readonly taskId: string | null;
  readonly status: "running" | "done" | "canceled";
}
