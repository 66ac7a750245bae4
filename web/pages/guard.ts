import type { Context } from "hono";
import { allowed, type Permission } from "../auth.ts";
import { notAllowed } from "../errors.ts";
import type { PageKit } from "./common.ts";

/**
 * The current user, when they may do this; otherwise throws 401 (nobody: onError sends them to sign
 * in) or 403 (somebody).
 */
export async function guard(
  kit: PageKit,
  c: Context,
  permission: Permission,
  workflow: string,
  workflowId?: string,
): Promise<string | null> {
  const user = await kit.deps.auth.user(c);
  if (await allowed(kit.deps.auth, { user, permission, workflow, workflowId })) return user;
  throw notAllowed(user, `You may not ${permission} here.`);
}
