/** rerun: a failed task is scheduled again (the same row, as joeflow's enqueue); the interpreter runs it. */
import { TaskNotOpen, UnknownTask } from "../../errors.ts";
import { findTaskOf, rescheduleTask } from "../../store/tasks.ts";
import type { TaskMessage } from "../define.ts";
import { emptyBody } from "../http.ts";

export const rerun: TaskMessage<"rerun", Record<string, never>> = {
  name: "rerun",
  target: "task",
  permission: "rerun",
  precheck(task) {
    if (task.status !== "failed") throw new TaskNotOpen(task.id, task.status);
  },
  async apply(m, args) {
    const task = await findTaskOf(m.tx, m.workflow.id, args.taskId);
    if (!task) throw new UnknownTask(args.taskId, `not a task of ${m.workflow.id}`);
    rerun.precheck(task, args.user ?? null);
    await rescheduleTask(m.tx, task.id, m.at);
    return { taskId: task.id, transition: { at: m.at } };
  },
  route: {
    verb: "rerun",
    operationId: "rerunTask",
    summary: "Run a failed machine task again.",
    body: emptyBody,
    button: { label: "Rerun" },
    args: (_b, { taskId, user }) => ({ taskId, user }),
  },
};
