// no engine needed: signing in and out only sets cookies and redirects.
/**
 * The demo's sign-in, as an attacker tries it: a `next` that leaves the site once dot segments are
 * resolved, a cookie over HTTPS without `Secure`, a session that never ends, a signed-out cookie
 * replayed, and a CSRF token planted before sign-in.
 */
import type { Hono } from "hono";
import { createWebApp } from "joeflow/web";
import { afterEach, describe, expect, it, vi } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { demoAuth, memorySessions, safeNext, type SessionStore } from "../../web/demo-auth.ts";
import { createTemplates } from "../../web/templates.ts";
import { createUrls } from "../../web/urls.ts";
import { Browser, CSRF_COOKIE } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");
const USER_COOKIE = "joeflow_user";

/** A demo app of its own: its own sign-in, with this secret and session store. */
function signInApp(options: { secret: string; sessions?: SessionStore }): Hono {
  const signIn = demoAuth(options);
  return createWebApp({
    joeflow: env.joeflow,
    workflows: [shipping],
    auth: signIn.auth,
    signInUrl: signIn.signInUrl,
    signOutUrl: signIn.signOutUrl,
    extend: (app) => signIn.routes(app, createTemplates(), createUrls()),
  });
}

/** Who the page header says is signed in (on a 404 page: it reads nothing from the engine). */
const signedInAs = async (browser: Browser): Promise<string | undefined> =>
  /Signed in as <strong>([^<]*)<\/strong>/.exec((await browser.get("/no/such/page")).html)?.[1];

/** The Set-Cookie line of this cookie in a reply. */
const setCookie = (response: Response, name: string): string | undefined =>
  response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));

describe("sign-in's next", () => {
  const NASTY = [
    "//evil.example",
    "///evil.example",
    "/..//evil.example",
    "/.//evil.example",
    "/%2e%2e//evil.example",
    "/%2E%2E//evil.example",
    "/.%2e//evil.example",
    "/%2e//evil.example",
    "/x/../..//evil.example",
    "/x/%2e%2e/%2e%2e//evil.example",
    "/..//evil.example/?next=/",
    "/..///evil.example",
    "/../\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\u0000/evil.example",
    " //evil.example",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
  ];

  it("never leaves this site, however the path is spelled", () => {
    for (const next of NASTY) {
      const safe = safeNext(next);
      // Where a browser would go, from a page deep in the site.
      const target = new URL(safe, "http://joeflow.test/a/b/c");
      expect([next, target.host], safe).toEqual([next, "joeflow.test"]);
      expect(safe.startsWith("/") && !safe.startsWith("//"), `${next} → ${safe}`).toBe(true);
    }
    expect(safeNext("/inbox?x=1#top")).toBe("/inbox?x=1#top");
    expect(safeNext("/shipping/../inbox")).toBe("/inbox");
  });

  it("stays on this site through the sign-in page and its POST", async () => {
    for (const next of NASTY.filter((n) => n.startsWith("/"))) {
      const visitor = new Browser(env.app);
      const page = await visitor.get(`/signin?next=${encodeURIComponent(next)}`);
      const shown = /name="next" value="([^"]*)"/.exec(page.html)?.[1] ?? "";
      expect(new URL(shown, "http://joeflow.test/").host, next).toBe("joeflow.test");
      const reply = await visitor.post("/signin", { name: "ann", next });
      expect(reply.status, next).toBe(303);
      expect(new URL(reply.location!, "http://joeflow.test/a/b").host, `${next} → ${reply.location}`).toBe(
        "joeflow.test",
      );
    }
  });
});

describe("the sign-in cookie", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is Secure when the request came over HTTPS, directly or through a proxy that says so", async () => {
    const cases: [string, Record<string, string>, boolean][] = [
      ["http://joeflow.test", {}, false],
      ["https://joeflow.test", {}, true],
      ["http://joeflow.test", { "x-forwarded-proto": "https" }, true],
      ["http://joeflow.test", { forwarded: "for=1.2.3.4;proto=https" }, true],
      ["http://joeflow.test", { "x-forwarded-proto": "http" }, false],
    ];
    for (const [origin, headers, secure] of cases) {
      const visitor = new Browser(env.app, headers);
      await visitor.get(`${origin}/signin`);
      const reply = await visitor.post(`${origin}/signin`, { name: "ann" });
      expect(reply.status).toBe(303);
      for (const name of [USER_COOKIE, CSRF_COOKIE]) {
        const line = setCookie(reply.response, name) ?? "";
        expect([origin, headers, name, /;\s*Secure/i.test(line)], line).toEqual([origin, headers, name, secure]);
        expect(line).toMatch(/HttpOnly/i);
        expect(line).toMatch(/SameSite=Lax/i);
      }
    }
  });

  it("expires after 12 hours: the cookie says so, and an older one counts as signed out", async () => {
    const visitor = new Browser(env.app);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const reply = await visitor.signIn("ann");
    expect(setCookie(reply.response, USER_COOKIE)).toMatch(/Max-Age=43200/i);
    expect(await signedInAs(visitor)).toBe("ann");
    vi.setSystemTime(Date.now() + 12 * 3600_000 - 60_000);
    expect(await signedInAs(visitor)).toBe("ann");
    vi.setSystemTime(Date.now() + 61_000);
    expect(await signedInAs(visitor)).toBeUndefined();
  });

  it("cannot be made to last longer: its expiry is signed", async () => {
    const visitor = new Browser(env.app);
    await visitor.signIn("ann");
    const value = decodeURIComponent(visitor.cookies.get(USER_COOKIE)!);
    const later = value.replace(/:(\d+)\./, (_, expires: string) => `:${Number(expires) + 86_400_000}.`);
    expect(later).not.toBe(value);
    visitor.cookies.set(USER_COOKIE, encodeURIComponent(later));
    expect(await signedInAs(visitor)).toBeUndefined();
  });

  it("is refused after sign-out, replayed", async () => {
    const visitor = new Browser(env.app);
    await visitor.signIn("ann");
    const cookie = visitor.cookies.get(USER_COOKIE)!;
    expect((await visitor.post("/signout")).status).toBe(303);
    expect(visitor.cookies.has(USER_COOKIE)).toBe(false);
    visitor.cookies.set(USER_COOKIE, cookie);
    expect(await signedInAs(visitor)).toBeUndefined();
    // Signing in again ends the session before: its cookie is no good either.
    await visitor.signIn("ann");
    const first = visitor.cookies.get(USER_COOKIE)!;
    await visitor.signIn("bob");
    expect(await signedInAs(visitor)).toBe("bob");
    visitor.cookies.set(USER_COOKIE, first);
    expect(await signedInAs(visitor)).toBeUndefined();
  });

  it("works on every process that shares the secret and the session store, and ends on all of them", async () => {
    const secret = "a-secret-of-the-cluster-".repeat(2);
    const sessions = memorySessions();
    const [a, b] = [signInApp({ secret, sessions }), signInApp({ secret, sessions })];
    const onA = new Browser(a);
    await onA.signIn("ann");
    const onB = new Browser(b);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    expect(await signedInAs(onB)).toBe("ann");
    await onB.post("/signout");
    expect(await signedInAs(onA)).toBeUndefined();

    // The same secret with a store of its own does not know the session: one store per deployment.
    const alone = new Browser(signInApp({ secret }));
    await onA.signIn("ann");
    for (const [name, value] of onA.cookies) alone.cookies.set(name, value);
    expect(await signedInAs(alone)).toBeUndefined();
  });

  it("keeps at most the newest sessions it was told to", async () => {
    const sessions = memorySessions({ max: 2 });
    const app = signInApp({ secret: "s".repeat(32), sessions });
    const people = [new Browser(app), new Browser(app), new Browser(app)];
    for (const [i, person] of people.entries()) await person.signIn(`p${i}`);
    expect(await Promise.all(people.map(signedInAs))).toEqual([undefined, "p1", "p2"]);
  });
});

describe("the CSRF token", () => {
  it("is a new one after sign-in and after sign-out: one planted before is useless", async () => {
    const visitor = new Browser(env.app);
    // An attacker who can plant a cookie (a sibling subdomain) knows this token.
    const planted = "P".repeat(43);
    visitor.cookies.set(CSRF_COOKIE, planted);
    await visitor.get("/signin");
    expect(visitor.csrf).toBe(planted);
    await visitor.signIn("clerk");
    expect(visitor.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(visitor.csrf).not.toBe(planted);
    const before = await env.count("shipping");
    const forged = await visitor.post("/shipping/checkout/", { shippingAddress: "1 Planted St" }, { csrf: planted });
    expect(forged.status).toBe(403);
    expect(await env.count("shipping")).toBe(before);
    const own = await visitor.post("/shipping/checkout/", { shippingAddress: "1 Own St" });
    expect(own.status).toBe(303);

    const signedIn = visitor.csrf;
    await visitor.post("/signout");
    expect(visitor.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(visitor.csrf).not.toBe(signedIn);
  });
});
