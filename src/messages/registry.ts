/** Every message by name: adding one is its folder, a line here and a line in args.ts. */
import type { MessageName } from "./args.ts";
import { cancelTask } from "./cancel-task/mod.ts";
import { cancelWorkflow } from "./cancel-workflow/mod.ts";
import { claim } from "./claim/mod.ts";
import { completeTask } from "./complete-task/mod.ts";
import type { MessageDefinition, MessageInfo } from "./define.ts";
import { override } from "./override/mod.ts";
import { reassign } from "./reassign/mod.ts";
import { release } from "./release/mod.ts";
import { rerun } from "./rerun/mod.ts";
import { setDue } from "./set-due/mod.ts";

/** Each message's body type is its own; the registry only needs to know that it has one. */
export type Messages = { readonly [K in MessageName]: MessageDefinition<K, unknown> };

export const MESSAGES: Messages = {
  completeTask,
  override,
  rerun,
  cancelTask,
  cancelWorkflow,
  claim,
  release,
  reassign,
  setDue,
};

/** The messages as the web app sees them: targets, permissions, prechecks and routes, no transactions. */
export const MESSAGE_INFO: { readonly [K in MessageName]: MessageInfo<K> } = MESSAGES;
