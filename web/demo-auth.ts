import type { Context, Hono } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { Auth, DirectoryUser } from "./auth.ts";
import { formBody } from "./forms/mod.ts";
import { rotateCsrfToken } from "./security/csrf.ts";
import { cameOverHttps } from "./security/https.ts";
import type { Templates } from "./templates.ts";
import type { Urls } from "./urls.ts";

const COOKIE = "joeflow_user";
const NAME = /^[A-Za-z0-9_.-]{1,40}$/;
/** 16 random bytes, base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;
const TWELVE_HOURS = 12 * 60 * 60;

/** A signed-in session: who, and until when. */
export interface DemoSession {
  readonly id: string;
  readonly user: string;
  readonly expires: Date;
}

/**
 * The live sessions, on the server: a cookie counts only while its session is here, so signing out
 * ends it for good, even if the cookie is replayed. Every process that serves the app must share one
 * store (the cluster example keeps it in PostgreSQL); the default keeps it in this process's memory.
 */
export interface SessionStore {
  add(session: DemoSession): void | Promise<void>;
  /** The session of this id while it lasts: added, not deleted, not expired. */
  get(id: string): DemoSession | undefined | Promise<DemoSession | undefined>;
  delete(id: string): void | Promise<void>;
}

/**
 * Sessions in this process's memory, for one process: a restart signs everybody out (so does the
 * demo's random secret). At most `max` (100,000), the oldest dropped first, so that signing in
 * again and again cannot fill the memory.
 */
export function memorySessions(options: { max?: number } = {}): SessionStore {
  const max = options.max ?? 100_000;
  const sessions = new Map<string, DemoSession>();
  return {
    add(session) {
      // Oldest first: with one lifetime for all, the expired ones are at the front.
      for (const [id, old] of sessions) {
        if (old.expires.getTime() > Date.now() && sessions.size < max) break;
        sessions.delete(id);
      }
      sessions.set(session.id, session);
    },
    get(id) {
      const session = sessions.get(id);
      return session && session.expires.getTime() > Date.now() ? session : undefined;
    },
    delete(id) {
      sessions.delete(id);
    },
  };
}

export interface DemoAuthOptions {
  readonly users?: readonly DirectoryUser[];
  /** Signs the cookie; default: random, so a restart signs everybody out. Share it between processes. */
  readonly secret?: string;
  /** Where the live sessions are kept; default: this process's memory (`memorySessions()`). */
  readonly sessions?: SessionStore;
  /** How long a sign-in lasts; default 12 hours. */
  readonly sessionSeconds?: number;
  /**
   * Only signed-in people complete, claim or change anything; anybody may still look and start. The
   * demo's servers set it, so every completed task says by whom. Default false: joeflow's default,
   * where anybody completes an unassigned task.
   */
  readonly requireSignIn?: boolean;
  /** Each user's groups: tasks offered to a group are in its members' queue to claim. */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
}

/** The demo's teams: the warehouse ships; the manager overrides. */
export const DEMO_GROUPS: Readonly<Record<string, readonly string[]>> = {
  warehouse: ["warehouse"],
  ann: ["warehouse"],
  bob: ["warehouse"],
  manager: ["managers"],
};

/**
 * The demo's sign-in: people say who they are and are trusted, kept in a signed cookie. Replace it
 * with your own `Auth` (see the README); this shows the shape. The cookie carries the user, a random
 * session id and its expiry, signed; it is `HttpOnly`, `SameSite=Lax`, and `Secure` over HTTPS. It
 * counts while its session is in the store: sign-out deletes it there.
 */
export function demoAuth(options: DemoAuthOptions = {}) {
  const secret = options.secret ?? crypto.randomUUID();
  const users = options.users ?? ["ann", "bob", "clerk", "warehouse", "manager"].map((id) => ({ id, name: id }));
  const sessions = options.sessions ?? memorySessions();
  const lifetime = options.sessionSeconds ?? TWELVE_HOURS;

  /** The live session the request's cookie names, if its signature, expiry and the store agree. */
  async function sessionOf(c: Context): Promise<DemoSession | undefined> {
    const value = await getSignedCookie(c, secret, COOKIE);
    if (typeof value !== "string") return undefined;
    const [user = "", id = "", expires = "", ...rest] = value.split(":");
    if (rest.length || !NAME.test(user) || !SESSION_ID.test(id) || !/^\d{1,15}$/.test(expires)) return undefined;
    if (Number(expires) <= Date.now()) return undefined;
    const session = await sessions.get(id);
    return session?.user === user && session.expires.getTime() > Date.now() ? session : undefined;
  }

  const groups = options.groups ?? {};
  const auth: Auth = {
    user: async (c) => (await sessionOf(c))?.user ?? null,
    ...(options.requireSignIn
      ? { can: ({ user, permission }) => user !== null || permission === "view" || permission === "start" }
      : {}),
    groups: (user) => (Object.hasOwn(groups, user) ? (groups[user] ?? []) : []),
    directory: () => users,
    signInUrl: "/signin",
  };
  function routes(app: Hono, templates: Templates, urls: Urls): void {
    const show = (c: Context, error?: string, status: 200 | 422 = 200) => {
      const next = safeNext(c.req.query("next"));
      return c.html(
        templates.render(["signin"], {
          title: "Sign in",
          error,
          next,
          action: "/signin",
          csrf: c.get("csrfToken"),
          urls,
          user: null,
          format: String,
        }),
        status,
      );
    };
    app.get("/signin", (c) => show(c));
    app.post("/signin", async (c) => {
      const body = await formBody(c);
      const name = typeof body.name === "string" ? body.name.trim() : "";
      if (!NAME.test(name)) return show(c, "Give a name of letters, digits, _, . or - (at most 40).", 422);
      const before = await sessionOf(c);
      if (before) await sessions.delete(before.id);
      const session: DemoSession = { id: randomId(), user: name, expires: new Date(Date.now() + lifetime * 1000) };
      await sessions.add(session);
      await setSignedCookie(c, COOKIE, `${name}:${session.id}:${session.expires.getTime()}`, secret, {
        httpOnly: true,
        sameSite: "Lax",
        path: "/",
        secure: cameOverHttps(c),
        maxAge: lifetime,
      });
      // A token someone planted or saw before the sign-in is no good after it.
      rotateCsrfToken(c);
      return c.redirect(safeNext(typeof body.next === "string" ? body.next : undefined), 303);
    });
    app.post("/signout", async (c) => {
      await formBody(c);
      const session = await sessionOf(c);
      if (session) await sessions.delete(session.id);
      deleteCookie(c, COOKIE, { path: "/", secure: cameOverHttps(c) });
      rotateCsrfToken(c);
      return c.redirect("/", 303);
    });
  }
  return { auth, routes, signInUrl: "/signin", signOutUrl: "/signout" };
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

const HERE = "http://here.invalid";

/** Only paths on this site: never an open redirect to another. */
export function safeNext(next: string | undefined): string {
  // Browsers drop tabs and newlines and read "\" as "/", so "/\t/evil" would mean "//evil".
  if (!next?.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  try {
    const url = new URL(next, HERE);
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Resolving dot segments ("/..//evil", "/%2e%2e//evil") can leave "//evil": another site to a
    // browser. What is left must be a path of this site, and read the same when resolved again.
    const here = url.origin === HERE && !url.pathname.startsWith("//") && new URL(path, HERE).href === url.href;
    return here ? path : "/";
  } catch {
    return "/"; // not a URL at all (Deno's parser refuses some that Node's reads)
  }
}
