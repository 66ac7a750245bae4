/** Cancels the instance and its open tasks. Pure. */
export interface CancelWorkflowArgs {
  readonly user?: string | null;
}
