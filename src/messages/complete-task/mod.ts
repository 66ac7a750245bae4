/** completeTask: a person finishes a human task with the data of its form. */
import { z } from "zod";
import { afterTask } from "../../activities/next-tasks.ts";
import { pickFields, requiredIssues, validateState } from "../../definition/validate.ts";
import { InvalidData, NotClaimed, NotHumanTask, ObsoleteTask, TaskNotOpen, UnknownTask } from "../../errors.ts";
import { successors } from "../../graph/types.ts";
import { closeTask, findTaskOf } from "../../store/tasks.ts";
import type { TaskFacts, TaskMessage } from "../define.ts";
import { invalidNext } from "../http.ts";
import { mustBeOffered } from "../offer.ts";

const body = z.strictObject({
  data: z.record(z.string(), z.unknown()).default({}),
  next: z.array(z.string()).optional(),
});

export const completeTask: TaskMessage<"completeTask", z.output<typeof body>> = {
  name: "completeTask",
  target: "task",
  permission: "complete",
  precheck(task: TaskFacts, user: string | null, groups: readonly string[] = []): void {
    if (task.status !== "scheduled") throw new TaskNotOpen(task.id, task.status);
    if (task.type !== "human") throw new NotHumanTask(task.id, task.name);
    // A group's task is claimed first (as in Camunda's Tasklist), so two members never do it twice.
    if (mustBeOffered(task, user, groups) === "group") throw new NotClaimed(task.id, "claim it first");
  },
  async apply(m, args) {
    const task = await findTaskOf(m.tx, m.workflow.id, args.taskId);
    if (!task) throw new UnknownTask(args.taskId, `not a task of ${m.workflow.id}`);
    completeTask.precheck(task, args.user ?? null, args.groups ?? []);
    const graph = await m.graph();
    const definition = m.definition();
    const compiled = graph.tasks[task.name];
    const current = definition?.graph.tasks[task.name];
    if (!definition || !compiled || (current?.kind !== "updateView" && current?.kind !== "startView")) {
      throw new ObsoleteTask(m.workflow.name, task.name);
    }
    const fields = compiled.kind === "updateView" || compiled.kind === "startView" ? compiled.fields : [];
    const state = validateState(definition.state, { ...m.workflow.state, ...pickFields(args.data, fields) });
    const outgoing = successors(graph, task.name);
    const stray = (args.next ?? []).filter((name) => !outgoing.includes(name));
    if (stray.length) throw new UnknownTask(stray.join(", "), `not an outgoing edge of "${task.name}"`);
    const missing = requiredIssues(state, compiled.kind === "updateView" ? (compiled.required ?? []) : []);
    if (missing.length) throw new InvalidData(missing);
    const user = args.user ?? null;
    await closeTask(m.tx, task.id, { status: "succeeded", user, at: m.at });
    await afterTask(m.tx, {
      workflow: m.workflow,
      graph,
      definition,
      task,
      user,
      state,
      names: args.next ? [...new Set(args.next)] : outgoing,
      at: m.at,
    });
    return { taskId: task.id, transition: { at: m.at, state } };
  },
  route: {
    verb: "complete",
    operationId: "completeTask",
    summary: "Complete an open human task; tasks with assignees only by them, a group's task by its claimer.",
    body,
    args: (b, { taskId, user, groups }) => ({ taskId, data: b.data, next: b.next, user, groups }),
    bodyError: (error, b) => (b.next ? invalidNext(error) : error),
  },
};
