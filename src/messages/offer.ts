/**
 * Who may work on a human task: its claimer once claimed; before that its direct assignees, or the
 * members of its groups after claiming it, or anybody when it has no assignees at all (joeflow's
 * default). Pure: the prechecks of completeTask, claim, release and reassign share it.
 *
 * The caller's groups come with the message, as the user id does (see claim/args.ts): the web app
 * asks its Auth hook, a program passes them to `joeflow.send`.
 */
import { NotAssignee, TaskClaimed } from "../errors.ts";
import type { TaskFacts } from "./define.ts";

/** How a task is offered to a caller. */
export type Offer = "anyone" | "user" | "group" | "none";

export function offerOf(
  task: Pick<TaskFacts, "assignees" | "groups">,
  user: string | null,
  groups: readonly string[],
): Offer {
  const offer: Offer =
    task.assignees.length === 0 && task.groups.length === 0
      ? "anyone"
      : user !== null && task.assignees.includes(user)
        ? "user"
        : user !== null && task.groups.some((g) => groups.includes(g))
          ? "group"
          : "none";
  return offer;
}

/** Throws unless the caller may work on the task: TaskClaimed (another has it) or NotAssignee. */
export function mustBeOffered(task: TaskFacts, user: string | null, groups: readonly string[]): Offer {
  if (task.claimedBy !== null) {
    if (task.claimedBy !== user) throw new TaskClaimed(task.id, task.claimedBy);
    return "user";
  }
  const offer = offerOf(task, user, groups);
  if (offer === "none") throw new NotAssignee(task.id, user, task.assignees, task.groups);
  return offer;
}
