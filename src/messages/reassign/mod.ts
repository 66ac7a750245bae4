/**
 * reassign: an open human task goes to other users or groups, unclaimed. Its claimer (or, while nobody
 * has claimed it, a direct assignee) may delegate it so (ownTask); anybody else needs the `assign` permission.
 */
import { z } from "zod";
import { splitAssignees } from "../../definition/assignees.ts";
import { toIssue } from "../../definition/validate.ts";
import { InvalidData, NotAssignee, NotHumanTask, TaskClaimed, TaskNotOpen, UnknownTask } from "../../errors.ts";
import { findTaskOf, replaceAssignees } from "../../store/tasks.ts";
import type { TaskFacts, TaskMessage } from "../define.ts";
import type { AssigneeArg } from "./args.ts";

const name = z.string().trim().min(1).max(200);
const body = z.strictObject({
  assignees: z.array(z.union([z.strictObject({ user: name }), z.strictObject({ group: name })])).min(1),
});

export const reassign: TaskMessage<"reassign", z.output<typeof body>> = {
  name: "reassign",
  target: "task",
  permission: "assign",
  precheck(task: TaskFacts): void {
    if (task.status !== "scheduled") throw new TaskNotOpen(task.id, task.status);
    if (task.type !== "human") throw new NotHumanTask(task.id, task.name);
  },
  ownTask: ownsTask,
  async apply(m, args) {
    const task = await findTaskOf(m.tx, m.workflow.id, args.taskId);
    if (!task) throw new UnknownTask(args.taskId, `not a task of ${m.workflow.id}`);
    reassign.precheck(task, args.user ?? null);
    if (args.asOwner && !ownsTask(task, args.user ?? null)) {
      if (task.claimedBy !== null) throw new TaskClaimed(task.id, task.claimedBy);
      throw new NotAssignee(task.id, args.user ?? null, task.assignees, []);
    }
    await replaceAssignees(m.tx, task.id, checked(args.assignees), m.at);
    return { taskId: task.id, transition: { at: m.at } };
  },
  route: {
    verb: "reassign",
    operationId: "reassignTask",
    summary: "Give an open human task to other users or groups (yours: a delegation); it is unclaimed after.",
    body,
    args: (b, { taskId, user, asOwner }) => ({ taskId, user, assignees: b.assignees, asOwner }),
  },
};

/** A claimed task is its claimer's alone; an unclaimed one its direct assignees'. */
function ownsTask(task: TaskFacts, user: string | null): boolean {
  if (user === null) return false;
  return task.claimedBy !== null ? task.claimedBy === user : task.assignees.includes(user);
}

/** The new assignees, or InvalidData: at least one, each a user or group with a name. */
function checked(assignees: readonly AssigneeArg[]) {
  const parsed = body.shape.assignees.safeParse(assignees);
  if (!parsed.success) {
    throw new InvalidData(parsed.error.issues.map((i) => ({ ...toIssue(i), path: ["assignees", ...toIssue(i).path] })));
  }
  return splitAssignees(parsed.data);
}
