/** Runs a failed task again. Pure. */
export interface RerunArgs {
  readonly taskId: string;
  readonly user?: string | null;
}
