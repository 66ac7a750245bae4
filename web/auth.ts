import type { Context } from "hono";
import type { Permission } from "joeflow";

export type { Permission };

/** Someone who may be picked in a form's user field. */
export interface DirectoryUser {
  readonly id: string;
  readonly name: string;
}

export interface PermissionQuestion {
  readonly user: string | null;
  readonly permission: Permission;
  readonly workflow: string;
  readonly workflowId?: string;
}

/**
 * Who is asking, and what they may do. Plug your own in: read a session, a JWT, a header set by
 * your proxy. Tasks with assignees can be completed only by them, whatever `can` says; a task offered
 * to groups is claimed by a member first, and completed by the claimer.
 */
export interface Auth {
  /** The current user's id, or null when nobody is signed in. */
  user(c: Context): string | null | Promise<string | null>;
  /**
   * Answers permission questions. Default, as joeflow: anyone may view, start and complete
   * unassigned tasks; claim, assign, override, rerun and cancel need a signed-in user. Whoever has
   * claimed a task, or is its direct assignee, may reassign it (delegate) without `assign`.
   */
  can?(question: PermissionQuestion): boolean | Promise<boolean>;
  /** The groups a user belongs to: tasks offered to them are in the user's inbox to claim. */
  groups?(user: string): readonly string[] | Promise<readonly string[]>;
  /** The people a user field offers; without it, user fields are plain text inputs. */
  directory?(): readonly DirectoryUser[] | Promise<readonly DirectoryUser[]>;
  /** Where to send people who must sign in first; without it they get 401. */
  signInUrl?: string;
}

/**
 * The user's groups as the hook says them; none for nobody or without the hook. They travel with the
 * user's messages to the worker, which has no Auth hook and trusts them as it trusts the user id.
 */
export async function groupsOf(auth: Auth, user: string | null): Promise<readonly string[]> {
  return user === null || !auth.groups ? [] : [...(await auth.groups(user))];
}

export async function allowed(auth: Auth, question: PermissionQuestion): Promise<boolean> {
  if (auth.can) return await auth.can(question);
  return question.user !== null || ["view", "start", "complete"].includes(question.permission);
}
