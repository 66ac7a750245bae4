import type { Context } from "hono";

/**
 * Whether the browser reached us over HTTPS: the request's URL says so, or the proxy in front of us
 * says so (`X-Forwarded-Proto: https`, `Forwarded: proto=https`). It only decides whether a cookie
 * gets `Secure`, so trusting the header is safe: a client that lies about it gets a cookie its own
 * browser will not send back over HTTP, and another site cannot make a browser send the header.
 */
export function cameOverHttps(c: Context): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  const forwardedProto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwardedProto === "https") return true;
  const forwarded = c.req.header("forwarded")?.split(",")[0] ?? "";
  return /(?:^|;)\s*proto="?https"?\s*(?:;|$)/i.test(forwarded);
}
