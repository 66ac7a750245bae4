/** What a person sends to complete a human task. Pure: the workflow sandbox imports it. */
export interface CompleteTaskArgs {
  readonly taskId: string;
  readonly data: Record<string, unknown>;
  readonly user?: string | null;
  /** The sender's groups, for a task offered to groups (see claim/args.ts on trusting them). */
  readonly groups?: readonly string[];
  /** Pick among the task's outgoing edges; all of them when left out. */
  readonly next?: readonly string[];
}
