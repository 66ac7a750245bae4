import type { Context } from "hono";
import { allowed, type Permission } from "../auth.ts";
import { currentUser, errorPage, type PageKit } from "./common.ts";

/**
 * Answers whether the current user may do this; otherwise the response to send: a redirect to sign
 * in (or 401) for nobody, 403 for somebody.
 */
export async function guard(
  kit: PageKit, c: Context, permission: Permission, workflow: string, workflowId?: string,
): Promise<{ user: string | null; denied?: Response }> {
  const user = await currentUser(kit, c);
  if (await allowed(kit.deps.auth, { user, permission, workflow, workflowId })) return { user };
  return { user, denied: await deny(kit, c, user, `You may not ${permission} here.`) };
}

export async function deny(kit: PageKit, c: Context, user: string | null, message: string): Promise<Response> {
  const signIn = kit.signInUrl ?? kit.deps.auth.signInUrl;
  if (user === null && signIn) {
    const next = new URL(c.req.url).pathname;
    return c.redirect(`${signIn}?next=${encodeURIComponent(next)}`, 303);
  }
  return await errorPage(kit, c, user === null ? 401 : 403, message);
}
