/** The claimer hands a task back to its assignees' queue. Pure. */
export interface ReleaseArgs {
  readonly taskId: string;
  readonly user?: string | null;
}
