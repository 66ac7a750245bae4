/** Cancels an open or failed task. Pure. */
export interface CancelTaskArgs {
  readonly taskId: string;
  readonly user?: string | null;
}
