/** claim: a user takes an open human task offered to them, their group or anybody; then only they work on it. */
import type { z } from "zod";
import { NotAssignee, NotHumanTask, TaskClaimed, TaskNotOpen, UnknownTask } from "../../errors.ts";
import { findTaskOf, setClaim } from "../../store/tasks.ts";
import type { TaskFacts, TaskMessage } from "../define.ts";
import { emptyBody } from "../http.ts";
import { mustBeOffered } from "../offer.ts";

export const claim: TaskMessage<"claim", z.output<typeof emptyBody>> = {
  name: "claim",
  target: "task",
  permission: "claim",
  precheck(task: TaskFacts, user: string | null, groups: readonly string[] = []): void {
    if (task.status !== "scheduled") throw new TaskNotOpen(task.id, task.status);
    if (task.type !== "human") throw new NotHumanTask(task.id, task.name);
    // Nobody claims for nobody: a claim names who works on the task.
    if (user === null) throw new NotAssignee(task.id, user, task.assignees, task.groups);
    if (task.claimedBy !== null) throw new TaskClaimed(task.id, task.claimedBy);
    mustBeOffered(task, user, groups);
  },
  async apply(m, args) {
    const task = await findTaskOf(m.tx, m.workflow.id, args.taskId);
    if (!task) throw new UnknownTask(args.taskId, `not a task of ${m.workflow.id}`);
    claim.precheck(task, args.user ?? null, args.groups ?? []);
    await setClaim(m.tx, task.id, args.user ?? null, m.at);
    return { taskId: task.id, transition: { at: m.at } };
  },
  route: {
    verb: "claim",
    operationId: "claimTask",
    summary: "Claim an open human task offered to you, your group or anybody: then only you complete it.",
    body: emptyBody,
    button: { label: "Claim" },
    args: (_b, { taskId, user, groups }) => ({ taskId, user, groups }),
  },
};
