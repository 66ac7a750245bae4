import type { Context, Hono } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { Auth, DirectoryUser } from "./auth.ts";
import type { Templates } from "./templates.ts";
import type { Urls } from "./urls.ts";

const COOKIE = "joeflow_user";
const NAME = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * The demo's sign-in: people say who they are and are trusted, kept in a signed cookie. Replace it
 * with your own `Auth` (see the README); this shows the shape.
 */
export function demoAuth(options: { users?: readonly DirectoryUser[]; secret?: string } = {}) {
  const secret = options.secret ?? crypto.randomUUID();
  const users = options.users ?? ["ann", "bob", "clerk", "warehouse", "manager"].map((id) => ({ id, name: id }));
  const auth: Auth = {
    async user(c) {
      const name = await getSignedCookie(c, secret, COOKIE);
      return typeof name === "string" && NAME.test(name) ? name : null;
    },
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
      const body = await c.req.parseBody();
      const name = typeof body.name === "string" ? body.name.trim() : "";
      if (!NAME.test(name)) return show(c, "Give a name of letters, digits, _, . or - (at most 40).", 422);
      await setSignedCookie(c, COOKIE, name, secret, { httpOnly: true, sameSite: "Lax", path: "/" });
      return c.redirect(safeNext(typeof body.next === "string" ? body.next : undefined), 303);
    });
    app.post("/signout", (c) => {
      deleteCookie(c, COOKIE, { path: "/" });
      return c.redirect("/", 303);
    });
  }
  return { auth, routes, signInUrl: "/signin", signOutUrl: "/signout" };
}

/** Only paths on this site: never an open redirect to another. */
export function safeNext(next: string | undefined): string {
  // Browsers drop tabs and newlines and read "\" as "/", so "/\t/evil" would mean "//evil".
  if (!next?.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  const url = new URL(next, "http://here.invalid");
  return url.origin === "http://here.invalid" ? `${url.pathname}${url.search}${url.hash}` : "/";
}
