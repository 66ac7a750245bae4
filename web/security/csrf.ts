import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { WebError } from "../errors.ts";
import { formBody } from "../forms/body.ts";
import { cameOverHttps } from "./https.ts";

const COOKIE = "joeflow_csrf";
export const CSRF_FIELD = "_csrf";
/** As Django: every other method may change something, whatever a route does with it. */
const SAFE = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/**
 * What browsers say (`Sec-Fetch-Site`) of a request another origin made: another site, or a sibling
 * subdomain (which could also plant a CSRF cookie of its own). Programs send no such header.
 */
const OTHER_SITES = new Set(["cross-site", "same-site"]);

/**
 * Double-submit CSRF protection for every form POST: a random token in a SameSite cookie must come
 * back in the form's hidden field. Another site can make a browser send the cookie, but cannot read
 * it to fill in the field. JSON requests under /api/ are exempt: they must be application/json,
 * which a cross-site form cannot send, and a cross-site script only after a CORS preflight that we
 * never grant. Besides, as Django refuses a POST whose Referer is another origin, no unsafe request a
 * browser marks as coming from another origin (`Sec-Fetch-Site: cross-site` or `same-site`) is taken,
 * API or not: a leaked or planted token does not help another site, and neither would a CORS rule.
 */
export function csrf(options: { exempt?: (c: Context) => boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    let token = getCookie(c, COOKIE);
    if (!token || !TOKEN.test(token)) token = rotateCsrfToken(c);
    c.set("csrfToken", token);
    if (!SAFE.has(c.req.method)) {
      if (OTHER_SITES.has(c.req.header("sec-fetch-site") ?? "")) {
        throw new WebError(403, "CsrfFailed", "Forbidden: this request came from another site.");
      }
      if (!options.exempt?.(c)) {
        const sent = await submittedToken(c);
        if (!sent || !equal(sent, token)) {
          throw new WebError(
            403,
            "CsrfFailed",
            "Forbidden: the form's CSRF token is missing or wrong. Reload the page and try again.",
          );
        }
      }
    }
    await next();
  };
}

/**
 * A new token in a new cookie, for this response's forms too. Sign-in and sign-out call it, so a
 * token someone planted or saw before is useless after.
 */
export function rotateCsrfToken(c: Context): string {
  const token = randomToken();
  setCookie(c, COOKIE, token, { httpOnly: true, sameSite: "Lax", path: "/", secure: cameOverHttps(c) });
  c.set("csrfToken", token);
  return token;
}

async function submittedToken(c: Context): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header) return header;
  const value = (await formBody(c))[CSRF_FIELD];
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
