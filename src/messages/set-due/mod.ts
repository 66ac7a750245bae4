/**
 * setDue: an open human task gets a new due date, or none. It may pass again, so the interpreter
 * moves its timer; the `assign` permission covers it, as planning people's work does.
 */
import { z } from "zod";
import { InvalidData, NotHumanTask, TaskNotOpen, UnknownTask } from "../../errors.ts";
import { setTaskDue } from "../../store/due.ts";
import { findTaskOf } from "../../store/tasks.ts";
import type { TaskFacts, TaskMessage } from "../define.ts";

/** Years 1 to 9999 (what PostgreSQL stores), with an offset, so that nobody's time zone is guessed. */
const DUE = z.iso
  .datetime({ offset: true })
  .refine((text) => /^(?!0000)\d{4}-/.test(text), "is no year from 1 to 9999");
const body = z.strictObject({ due: z.union([DUE, z.null()]) });

export const setDue: TaskMessage<"setDue", z.output<typeof body>> = {
  name: "setDue",
  target: "task",
  permission: "assign",
  precheck(task: TaskFacts): void {
    if (task.status !== "scheduled") throw new TaskNotOpen(task.id, task.status);
    if (task.type !== "human") throw new NotHumanTask(task.id, task.name);
  },
  async apply(m, args) {
    const task = await findTaskOf(m.tx, m.workflow.id, args.taskId, { assignees: false });
    if (!task) throw new UnknownTask(args.taskId, `not a task of ${m.workflow.id}`);
    setDue.precheck(task, args.user ?? null);
    await setTaskDue(m.tx, task.id, dueDate(args.due), m.at);
    return { taskId: task.id, transition: { at: m.at } };
  },
  route: {
    verb: "due",
    operationId: "setTaskDue",
    summary: "Move an open human task's due date (an ISO 8601 time with its offset), or take it away (null).",
    body,
    args: (b, { taskId, user }) => ({ taskId, user, due: b.due }),
  },
};

/** The due date of the message, checked here too: a program may send it without the API's check. */
function dueDate(due: string | null): Date | null {
  if (due === null) return null;
  const parsed = DUE.safeParse(due);
  if (!parsed.success) throw new InvalidData([{ path: ["due"], message: "is no ISO 8601 time with an offset" }]);
  return new Date(parsed.data);
}
