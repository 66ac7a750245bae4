/**
 * The second step of a destructive button. The workflow page links to a confirmation page (a GET,
 * which changes nothing); only its form POSTs, with the CSRF token. So a slip of the finger, with or
 * without JavaScript, cancels nothing.
 */
import type { Context } from "hono";
import type { MessageName, TaskView, WorkflowView } from "joeflow";
import { labelOf, page, type PageKit } from "./common.ts";

interface Confirmation {
  readonly question: (task: string | undefined, workflow: string) => string;
  readonly consequence: string;
  readonly yes: string;
}

/** The messages that ask first, and what they ask. */
const CONFIRMATIONS: { readonly [K in MessageName]?: Confirmation } = {
  cancelTask: {
    question: (task) => `Cancel the task “${task}”?`,
    consequence: "Nobody can complete it afterwards, and its branch of the workflow ends there.",
    yes: "Yes, cancel the task",
  },
  cancelWorkflow: {
    question: (_task, workflow) => `Cancel this ${workflow} workflow?`,
    consequence: "Every open task is cancelled and nothing more runs. This cannot be undone.",
    yes: "Yes, cancel the workflow",
  },
};

export function asksFirst(name: MessageName): boolean {
  return CONFIRMATIONS[name] !== undefined;
}

/** The confirmation page of a message's button: the question, what follows, and a form that does it. */
export async function confirmPage(
  kit: PageKit,
  c: Context,
  name: MessageName,
  target: { instance: WorkflowView; task?: TaskView; action: string; back: string },
): Promise<Response> {
  const confirmation = CONFIRMATIONS[name];
  if (!confirmation) throw new TypeError(`${name} does not ask first`);
  const question = confirmation.question(target.task && labelOf(target.task.name), labelOf(target.instance.name));
  return await page(kit, c, [`${target.instance.name}/confirm`, "workflow/confirm"], {
    title: question,
    heading: question,
    workflow: target.instance.name,
    instance: target.instance,
    consequence: confirmation.consequence,
    yes: confirmation.yes,
    action: target.action,
    back: target.back,
  });
}
