/** release: the claimer hands a task back to its assignees' queue, for anyone of them to claim. */
import type { z } from "zod";
import { NotClaimed, TaskClaimed, TaskNotOpen, UnknownTask } from "../../errors.ts";
import { findTaskOf, setClaim } from "../../store/tasks.ts";
import type { TaskFacts, TaskMessage } from "../define.ts";
import { emptyBody } from "../http.ts";

export const release: TaskMessage<"release", z.output<typeof emptyBody>> = {
  name: "release",
  target: "task",
  permission: "claim",
  precheck(task: TaskFacts, user: string | null): void {
    if (task.status !== "scheduled") throw new TaskNotOpen(task.id, task.status);
    if (task.claimedBy === null) throw new NotClaimed(task.id, "there is nothing to release");
    // Only the claimer hands it back; taking it from them is a reassignment, with its permission.
    if (task.claimedBy !== user) throw new TaskClaimed(task.id, task.claimedBy);
  },
  async apply(m, args) {
    const task = await findTaskOf(m.tx, m.workflow.id, args.taskId);
    if (!task) throw new UnknownTask(args.taskId, `not a task of ${m.workflow.id}`);
    release.precheck(task, args.user ?? null);
    await setClaim(m.tx, task.id, null, m.at);
    return { taskId: task.id, transition: { at: m.at } };
  },
  route: {
    verb: "release",
    operationId: "releaseTask",
    summary: "Hand a task you claimed back to its assignees.",
    body: emptyBody,
    button: { label: "Release" },
    args: (_b, { taskId, user }) => ({ taskId, user }),
  },
};
