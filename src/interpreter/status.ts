/**
 * What an instance's status says once a transition closed a task: running while any task is open;
 * after the last one, `canceled` when a cancellation closed it (nothing finished the work: an order
 * whose only task was cancelled was never shipped), else `done`. Pure; the store's commit applies it.
 */
export type SettledStatus = "running" | "done" | "canceled";

export function settledStatus(openLeft: number, closedBy: "canceled" | "succeeded"): SettledStatus {
  if (openLeft > 0) return "running";
  return closedBy === "canceled" ? "canceled" : "done";
}
