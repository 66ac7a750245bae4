/**
 * cancelTask: an open or failed task is closed as canceled; its branch ends there. Cancelling the
 * last open task cancels the instance: it is `canceled`, not `done`.
 */
import { TaskNotOpen, UnknownTask } from "../../errors.ts";
import { settledStatus } from "../../interpreter/status.ts";
import { closeTask, countOpenTasks, findTaskOf } from "../../store/tasks.ts";
import type { TaskMessage } from "../define.ts";
import { emptyBody } from "../http.ts";

export const cancelTask: TaskMessage<"cancelTask", Record<string, never>> = {
  name: "cancelTask",
  target: "task",
  permission: "cancel",
  precheck(task) {
    if (task.status !== "scheduled" && task.status !== "failed") throw new TaskNotOpen(task.id, task.status);
  },
  async apply(m, args) {
    const task = await findTaskOf(m.tx, m.workflow.id, args.taskId);
    if (!task) throw new UnknownTask(args.taskId, `not a task of ${m.workflow.id}`);
    cancelTask.precheck(task, args.user ?? null);
    await closeTask(m.tx, task.id, { status: "canceled", user: args.user ?? null, at: m.at });
    const status = settledStatus(await countOpenTasks(m.tx, m.workflow.id), "canceled");
    return { taskId: task.id, transition: { at: m.at, ...(status === "canceled" ? { status } : {}) } };
  },
  route: {
    verb: "cancel",
    operationId: "cancelTask",
    summary: "Cancel an open or failed task.",
    body: emptyBody,
    button: { label: "Cancel" },
    args: (_b, { taskId, user }) => ({ taskId, user }),
  },
};
