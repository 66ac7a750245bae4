/** Hand-made instances for the graph tests: plain objects of the types `joeflow.get()` returns, no server. */
import type { TaskStatus, TaskView, WorkflowView } from "joeflow";
import { shipping } from "../../examples/shipping.ts";

export { shipping };

const AT = new Date("2026-01-02T03:04:05Z");

/** A task of the shipping workflow (its type from the definition; "override" and unknown names as given). */
export function task(
  id: string,
  name: string,
  status: TaskStatus,
  parentIds: readonly string[] = [],
  more: Partial<TaskView> = {},
): TaskView {
  const type = name === "override" ? "human" : (shipping.graph.tasks[name]?.type ?? "machine");
  return {
    id,
    workflowId: "w1",
    name,
    type,
    status,
    parentIds,
    assignees: [],
    groups: [],
    claimedBy: null,
    completedByUser: null,
    created: AT,
    modified: AT,
    completed: status === "scheduled" ? null : AT,
    exception: null,
    stacktrace: null,
    attempt: 1,
    due: null,
    overdue: false,
    ...more,
  };
}

export function instance(tasks: readonly TaskView[]): WorkflowView {
  return {
    id: "w1",
    name: "shipping",
    title: "Shipping w1",
    status: "running",
    state: { shippingAddress: "1 Main St" },
    graphVersion: shipping.graph.version,
    created: AT,
    modified: AT,
    hooks: [],
    tasks,
  };
}

/** As the web app links them: open human tasks go to their page. */
export function openHumanTaskUrl(task: TaskView): string | undefined {
  return task.status === "scheduled" && task.type === "human" ? `/shipping/${task.name}/${task.id}/` : undefined;
}

/** Checkout done, the warehouse still has to ship. */
export const inProgress = instance([
  task("t1", "checkout", "succeeded", [], { completedByUser: "clerk" }),
  task("t2", "ship", "scheduled", ["t1"]),
]);

/** Shipping was canceled by an override that went straight to the end. */
export const overridden = instance([
  task("t1", "checkout", "succeeded"),
  task("t2", "ship", "canceled", ["t1"]),
  task("t3", "override", "succeeded", ["t2"], { completedByUser: "admin" }),
  task("t4", "end", "succeeded", ["t3"]),
]);

/** Ran "packParcel", a task an older version of the definition had between ship and hasEmail. */
export const withObsolete = instance([
  task("t1", "checkout", "succeeded"),
  task("t2", "ship", "succeeded", ["t1"]),
  task("t3", "packParcel", "succeeded", ["t2"]),
  task("t4", "hasEmail", "succeeded", ["t3"]),
  task("t5", "end", "scheduled", ["t4"]),
]);

/** The mail server was down. */
export const failed = instance([
  task("t1", "checkout", "succeeded"),
  task("t2", "ship", "succeeded", ["t1"]),
  task("t3", "hasEmail", "succeeded", ["t2"]),
  task("t4", "sendTrackingCode", "failed", ["t3"], { exception: "Error: SMTP down" }),
]);
