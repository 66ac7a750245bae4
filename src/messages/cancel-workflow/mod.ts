/** cancelWorkflow: every open task is canceled, and so is the instance. */
import { WorkflowNotRunning } from "../../errors.ts";
import { cancelOpenTasks } from "../../store/tasks.ts";
import type { InstanceMessage } from "../define.ts";
import { emptyBody } from "../http.ts";

export const cancelWorkflow: InstanceMessage<"cancelWorkflow", Record<string, never>> = {
  name: "cancelWorkflow",
  target: "instance",
  permission: "cancel",
  async apply(m, args) {
    // A finished instance stays as it finished: cancelling it would turn "done" into "canceled".
    if (m.workflow.status !== "running") throw new WorkflowNotRunning(m.workflow.id, m.workflow.status);
    await cancelOpenTasks(m.tx, m.workflow.id, args.user ?? null, m.at);
    return { taskId: null, transition: { at: m.at, status: "canceled" } };
  },
  route: {
    verb: "cancel",
    operationId: "cancel",
    summary: "Cancel the instance and its open tasks.",
    body: emptyBody,
    button: { label: "Cancel this workflow" },
    args: (_b, { user }) => ({ user }),
  },
};
