import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

const COOKIE = "joeflow_csrf";
export const CSRF_FIELD = "_csrf";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Double-submit CSRF protection for every form POST: a random token in a SameSite cookie must come
 * back in the form's hidden field. Another site can make a browser send the cookie, but cannot read
 * it to fill in the field. JSON requests under /api/ are exempt: they must be application/json,
 * which a cross-site form cannot send.
 */
export function csrf(options: { exempt?: (c: Context) => boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    let token = getCookie(c, COOKIE);
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomToken();
      setCookie(c, COOKIE, token, {
        httpOnly: true,
        sameSite: "Lax",
        path: "/",
        secure: new URL(c.req.url).protocol === "https:",
      });
    }
    c.set("csrfToken", token);
    if (UNSAFE.has(c.req.method) && !options.exempt?.(c)) {
      const sent = await submittedToken(c);
      if (!sent || !equal(sent, token)) {
        return c.text("Forbidden: the form's CSRF token is missing or wrong. Reload the page and try again.", 403);
      }
    }
    await next();
  };
}

async function submittedToken(c: Context): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header) return header;
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
    return undefined;
  const body = await c.req.parseBody({ all: true });
  const value = body[CSRF_FIELD];
  return typeof value === "string" ? value : undefined;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Compares in time independent of where the strings differ. */
function equal(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

declare module "hono" {
  interface ContextVariableMap {
    csrfToken: string;
  }
}
