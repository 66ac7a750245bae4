/** override: a person breaks the rules: cancels every open task, changes the state, starts `next`. */
import { z } from "zod";
import { afterTask } from "../../activities/next-tasks.ts";
import { validateState } from "../../definition/validate.ts";
import { UnknownTask, UnknownWorkflow } from "../../errors.ts";
import { derivedId } from "../../graph/hash.ts";
import { hasTask, OVERRIDE_TASK_NAME } from "../../graph/types.ts";
import { cancelOpenTasks, insertParents, insertTask, latestTaskId } from "../../store/tasks.ts";
import type { InstanceMessage } from "../define.ts";
import { invalidNext } from "../http.ts";

const body = z.strictObject({
  state: z.record(z.string(), z.unknown()).optional(),
  next: z.array(z.string()),
});

export const override: InstanceMessage<"override", z.output<typeof body>> = {
  name: "override",
  target: "instance",
  permission: "override",
  async apply(m, args) {
    const graph = await m.graph();
    const unknown = args.next.filter((name) => !hasTask(graph, name));
    if (unknown.length) throw new UnknownTask(unknown.join(", "), `not a task of workflow "${m.workflow.name}"`);
    const definition = m.definition();
    if (!definition) throw new UnknownWorkflow(m.workflow.name);
    const state = validateState(definition.state, { ...m.workflow.state, ...(args.state ?? {}) });
    const user = args.user ?? null;
    // The override is a task of its own, recorded done, after the tasks it cancelled (or the newest one).
    const taskId = derivedId(m.messageId, OVERRIDE_TASK_NAME);
    const canceled = await cancelOpenTasks(m.tx, m.workflow.id, user, m.at);
    const latest = canceled.length ? undefined : await latestTaskId(m.tx, m.workflow.id);
    await insertTask(m.tx, {
      id: taskId,
      workflowId: m.workflow.id,
      name: OVERRIDE_TASK_NAME,
      type: "human",
      at: m.at,
      done: { user },
    });
    await insertParents(m.tx, taskId, canceled.length ? canceled : latest ? [latest] : []);
    await afterTask(m.tx, {
      workflow: m.workflow,
      graph,
      definition,
      task: { id: taskId, name: OVERRIDE_TASK_NAME },
      user,
      state,
      names: [...new Set(args.next)],
      at: m.at,
    });
    return { taskId, transition: { at: m.at, state } };
  },
  route: {
    verb: "override",
    operationId: "override",
    summary: "Cancel the open tasks, change the state, start the chosen tasks.",
    body,
    args: (b, { user }) => ({ state: b.state, next: b.next, user }),
    bodyError: invalidNext,
  },
};
