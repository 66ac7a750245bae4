// no engine needed: instances are started from code; the requests here read, or are refused.
/**
 * Defaults as Django's: security headers on every response, pages that pass their own strict
 * Content-Security-Policy, and what an attacker tries beside the obvious: preflights, cross-site
 * requests with the user's cookies, odd methods, a forged Host, input echoed in error pages.
 */
import { createWebApp } from "joeflow/web";
import { describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { Browser, type Reply } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

const CSP =
  "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; form-action 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

function expectSecurityHeaders(reply: Reply, what: string): void {
  const headers = reply.response.headers;
  expect(
    {
      what,
      frame: headers.get("x-frame-options"),
      csp: headers.get("content-security-policy"),
      sniff: headers.get("x-content-type-options"),
      referrer: headers.get("referrer-policy"),
      opener: headers.get("cross-origin-opener-policy"),
      resource: headers.get("cross-origin-resource-policy"),
    },
    reply.html.slice(0, 300),
  ).toEqual({
    what,
    frame: "DENY",
    csp: CSP,
    sniff: "nosniff",
    referrer: "same-origin",
    opener: "same-origin",
    resource: "same-origin",
  });
}

/** What in a page the CSP above would block: inline styles and scripts, handlers, other origins. */
function cspViolations(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    const tag = match[0];
    if (/^<(style|iframe|object|embed|base|frame)\b/i.test(tag)) found.push(tag);
    // A script only from this site (script-src 'self'): one without a src is inline.
    if (/^<script\b/i.test(tag) && !/\ssrc="\/(?!\/)/.test(tag)) found.push(tag);
    if (/\s(on[a-z]+|style)\s*=/i.test(tag)) found.push(tag);
    for (const url of tag.matchAll(/\s(?:src|href|action|xlink:href|srcset|data)\s*=\s*"([^"]*)"/gi)) {
      if (!url[1]!.startsWith("/") || url[1]!.startsWith("//")) {
        if (!/^#|^https?:\/\/temporal\.test\//.test(url[1]!) || /^<link/i.test(tag)) found.push(tag);
      }
    }
  }
  return found;
}

describe("security headers", () => {
  it("are on every response: pages, errors, the API, the stylesheet", async () => {
    const { workflowId, ship } = await env.order("1 Header St");
    const manager = new Browser(env.app);
    await manager.signIn("manager");
    const replies: [string, Reply][] = [
      ["index", await manager.get("/")],
      ["inbox", await manager.get("/inbox")],
      ["sign-in", await new Browser(env.app).get("/signin")],
      ["start form", await manager.get("/shipping/checkout/")],
      ["invalid start form", await manager.post("/shipping/checkout/", { shippingAddress: "" })],
      ["task form", await manager.get(`/shipping/ship/${ship.id}/`)],
      ["workflow page", await manager.get(`/shipping/${workflowId}/`)],
      ["override page", await manager.get(`/shipping/${workflowId}/override`)],
      ["redirect", await manager.post(`/shipping/${workflowId}/cancel`)],
      ["404 page", await manager.get("/nowhere/at/all")],
      ["CSRF refusal", await manager.post("/shipping/checkout/", {}, { csrf: false })],
      ["HEAD", await manager.request("/", { method: "HEAD" })],
      ["API", await manager.get("/api/workflows")],
      ["API error", await manager.get("/api/nowhere")],
      ["OpenAPI", await manager.get("/api/openapi.json")],
      ["stylesheet", await manager.get("/static/joeflow.css")],
      ["script", await manager.get("/static/live.js")],
    ];
    for (const [what, reply] of replies) expectSecurityHeaders(reply, what);
    // Nothing the pages or API say is kept by a cache along the way; the stylesheet and script are.
    for (const [what, reply] of replies) {
      const expected = ["stylesheet", "script"].includes(what) ? "public, max-age=3600" : "no-store";
      expect([what, reply.response.headers.get("cache-control")]).toEqual([what, expected]);
    }
    // No Strict-Transport-Security by default, as in Django: that is for the TLS proxy in front to decide.
    expect(replies.some(([, reply]) => reply.response.headers.has("strict-transport-security"))).toBe(false);
  });

  it("a custom view may set its own headers: ours do not overwrite them", async () => {
    const app = createWebApp({
      joeflow: env.joeflow,
      workflows: [shipping],
      views: {
        "shipping:checkout": (c) => c.html("<p>embed me</p>", 200, { "x-frame-options": "SAMEORIGIN" }),
      },
    });
    const reply = await new Browser(app).get("/shipping/checkout/");
    expect(reply.response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(reply.response.headers.get("content-security-policy")).toBe(CSP);
  });

  it("our pages pass that policy: no inline styles or scripts, nothing from elsewhere", async () => {
    const { workflowId, ship } = await env.order('3 <b style="x">Style</b> St');
    const manager = new Browser(env.app);
    await manager.signIn("manager");
    await manager.post(`/shipping/${workflowId}/tasks/${ship.id}/cancel`);
    const pages = [
      "/",
      "/inbox",
      "/shipping/checkout/",
      `/shipping/${workflowId}/`,
      `/shipping/${workflowId}/override`,
      "/nowhere/at/all",
      "/approval/request/",
    ];
    for (const path of pages) {
      const reply = await manager.get(path);
      expect([path, cspViolations(reply.html)]).toEqual([path, []]);
    }
    const invalid = await manager.post("/shipping/checkout/", { shippingAddress: "", email: "x" });
    expect(cspViolations(invalid.html)).toEqual([]);
    const signIn = await new Browser(env.app).get("/signin");
    expect(cspViolations(signIn.html)).toEqual([]);
    // The checker does see what it looks for.
    // (the paragraph's style and handler, the script from elsewhere)
    expect(cspViolations('<p style="color: red" onclick="x()"><script src="https://cdn.example/x.js">')).toHaveLength(
      3,
    );
    expect(cspViolations("<script>alert(1)</script>")).toHaveLength(1);
  });
});

describe("what an attacker tries beside", () => {
  it("a CORS preflight from another origin is never granted, for the API or the pages", async () => {
    const before = await env.count("shipping");
    for (const path of ["/api/shipping/start", "/api/tasks", "/api/nowhere", "/shipping/checkout/", "/"]) {
      const reply = await new Browser(env.app).request(path, {
        method: "OPTIONS",
        headers: {
          origin: "https://evil.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type, x-csrf-token",
        },
      });
      expect([path, reply.status >= 200 && reply.status < 300]).toEqual([path, false]);
      const granted: string[] = [];
      reply.response.headers.forEach((_, name) => {
        if (name.startsWith("access-control-")) granted.push(name);
      });
      expect([path, granted]).toEqual([path, []]);
    }
    expect(await env.count("shipping")).toBe(before);
  });

  it("refuses a request from another site (or a sibling subdomain) with the user's cookies, token or not", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("clerk");
    const before = await env.count("shipping");
    const crossSite = { "sec-fetch-site": "cross-site" };
    const json = (headers: Record<string, string>) =>
      clerk.request("/api/shipping/start", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ state: { shippingAddress: "1 Cross St" } }),
      });
    for (const site of ["cross-site", "same-site"]) {
      const refused = await json({ "sec-fetch-site": site });
      expect([site, refused.status]).toEqual([site, 403]);
      expect(JSON.parse(refused.html).error.code).toBe("CsrfFailed");
    }
    // A cross-site form cannot send JSON at all: text/plain is refused.
    const plain = await clerk.request("/api/shipping/start", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ state: { shippingAddress: "1 Plain St" } }),
    });
    expect(plain.status).toBe(415);
    // A form with the right token, sent from another site (the token leaked, or was planted), is refused too.
    const form = await clerk.request("/shipping/checkout/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...crossSite },
      body: new URLSearchParams({ _csrf: clerk.csrf!, shippingAddress: "1 Cross St" }),
    });
    expect(form.status).toBe(403);
    expect(await env.count("shipping")).toBe(before);
    // The same from our own pages, typed in (none), or from a program (no Sec-Fetch-Site), goes through.
    expect((await json({ "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await json({ "sec-fetch-site": "none" })).status).toBe(201);
    expect((await json({})).status).toBe(201);
  });

  it("a method a form cannot send still needs the CSRF token, even where a custom view takes any method", async () => {
    const { workflowId, ship } = await env.order("1 Odd Method St");
    const app = createWebApp({
      joeflow: env.joeflow,
      workflows: [shipping],
      views: {
        // A careless view: anything but GET completes the task.
        "shipping:ship": async (c, { joeflow, task, user }) => {
          if (c.req.method === "GET") return c.text("a form");
          await joeflow.completeTask(task!, { data: { trackingCode: "ODD" }, user });
          return c.text("done");
        },
      },
    });
    const visitor = new Browser(app);
    await visitor.get("/");
    for (const method of ["FOO", "PROPFIND", "PUT", "DELETE", "PATCH"]) {
      const reply = await visitor.request(`/shipping/ship/${ship.id}/`, { method });
      expect([method, reply.status]).toEqual([method, 403]);
    }
    expect((await env.joeflow.get(workflowId)).tasks.find((t) => t.id === ship.id)!.status).toBe("scheduled");
  });

  it("HEAD runs no action", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("manager");
    const { workflowId, ship } = await env.order("1 Head St");
    const before = await env.count("shipping");
    for (const path of [
      "/shipping/checkout/",
      `/shipping/ship/${ship.id}/`,
      `/shipping/${workflowId}/cancel`,
      `/shipping/${workflowId}/tasks/${ship.id}/cancel`,
      "/signout",
    ]) {
      const reply = await clerk.request(path, { method: "HEAD" });
      expect([path, reply.html]).toEqual([path, ""]);
    }
    expect(await env.count("shipping")).toBe(before);
    expect((await env.joeflow.get(workflowId)).status).toBe("running");
    expect((await clerk.get("/")).html).toContain("Signed in as <strong>manager</strong>");
  });

  it("a forged Host or X-Forwarded-Host never makes a link or redirect to another site", async () => {
    const { workflowId } = await env.order("1 Host St");
    const forged = { "x-forwarded-host": "evil.example", forwarded: "host=evil.example" };
    // The URL as a Node or Deno server builds it from the Host header.
    const visitor = new Browser(env.app, forged);
    const signIn = await visitor.get(`http://evil.example/shipping/${workflowId}/override`);
    expect(signIn.status).toBe(303);
    expect(signIn.location).toBe(`/signin?next=${encodeURIComponent(`/shipping/${workflowId}/override`)}`);
    const signedIn = await visitor.post("http://evil.example/signin", { name: "ann", next: "/inbox" });
    expect(signedIn.location).toBe("/inbox");
    for (const path of ["/", "/inbox", `/shipping/${workflowId}/`, "/api/openapi.json", "/nowhere"]) {
      const reply = await visitor.get(`http://evil.example${path}`);
      expect([path, reply.html.includes("evil.example")]).toEqual([path, false]);
    }
  });

  it("an error page shows what was asked for as text, never as markup", async () => {
    const visitor = new Browser(env.app);
    const page = await visitor.get(`/shipping/${encodeURIComponent("<script>alert(1)</script>")}/`);
    expect(page.status).toBe(404);
    expect(page.html).not.toContain("<script>");
    expect(page.html).toContain("&lt;script&gt;");
    const api = await visitor.get(`/api/shipping/${encodeURIComponent("<script>")}`);
    expect(api.contentType).toMatch(/^application\/json/);
    expect(api.response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
