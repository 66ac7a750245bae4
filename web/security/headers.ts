/**
 * Security headers on every response, pages and API alike, as Django's defaults: no framing (the
 * cancel confirmations and rerun buttons cannot be clickjacked), no MIME sniffing, the referrer only to
 * this site, and a Content-Security-Policy our pages pass: they have no inline styles or scripts and
 * load nothing from elsewhere (the workflow graph is an inline <svg>, which needs nothing).
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

const SELF = "'self'";
const NONE = "'none'";

/** The header as sent: "default-src 'self'; img-src 'self'; …; object-src 'none'". */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: [SELF],
  imgSrc: [SELF],
  styleSrc: [SELF],
  scriptSrc: [SELF],
  formAction: [SELF],
  frameAncestors: [NONE],
  baseUri: [NONE],
  objectSrc: [NONE],
};

/**
 * Hono's secureHeaders with our choices; it keeps a header a handler set itself (a custom view that
 * must be framed, or needs a script from elsewhere, says so in its own response). No
 * Strict-Transport-Security: as in Django, the TLS proxy in front decides that. Responses that do not
 * say how to cache them (all but the static files) get `Cache-Control: no-store`: pages carry a user's
 * data and their CSRF token, which no cache along the way may keep.
 */
export function securityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: "DENY",
    referrerPolicy: "same-origin",
    strictTransportSecurity: false,
    overwrite: false,
  });
  return async (c, next) => {
    await headers(c, next);
    if (!c.res.headers.has("cache-control")) c.res.headers.set("cache-control", "no-store");
  };
}
