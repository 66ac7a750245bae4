/**
 * A user takes a task offered to them or their group, to work on it alone. Pure.
 *
 * `groups` are the sender's groups, carried with the message as `user` is: the worker has no Auth
 * hook, so it believes what the message says, as it believes the user id. Whoever may send messages
 * (the web app, which asks its Auth hook, or a program with Temporal access) is trusted to say them.
 */
export interface ClaimArgs {
  readonly taskId: string;
  readonly user?: string | null;
  readonly groups?: readonly string[];
}
