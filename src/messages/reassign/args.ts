/** One new assignee of a task: a user, or a group whose members may claim it. Pure. */
export type AssigneeArg = { readonly user: string } | { readonly group: string };

/** A task goes to other users or groups (a delegation, when its own assignee sends it). Pure. */
export interface ReassignArgs {
  readonly taskId: string;
  readonly user?: string | null;
  /** At least one. */
  readonly assignees: readonly AssigneeArg[];
  /**
   * Sent as the task's own (its claimer, or a direct assignee of an unclaimed task) without the `assign`
   * permission: the transaction checks, under the instance's lock, that the sender still is.
   */
  readonly asOwner?: boolean;
}
