import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { CustomTaskViews } from "../custom.ts";
import type { WebDeps } from "../deps.ts";
import type { Problem } from "../errors.ts";
import type { Templates } from "../templates.ts";
import type { Urls } from "../urls.ts";

/** What page handlers share: the app's parts and the rendering of whole pages. */
export interface PageKit {
  readonly deps: WebDeps;
  readonly templates: Templates;
  readonly urls: Urls;
  readonly views: CustomTaskViews;
  readonly signInUrl?: string;
  readonly signOutUrl?: string;
  /** The secret of signed task links (see links.ts); without it, links are refused. */
  readonly linkSecret?: string;
}

export async function currentUser(kit: PageKit, c: Context): Promise<string | null> {
  return await kit.deps.auth.user(c);
}

export async function page(
  kit: PageKit,
  c: Context,
  candidates: readonly string[],
  data: Record<string, unknown>,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const html = kit.templates.render(candidates, {
    ...data,
    user: await currentUser(kit, c),
    csrf: c.get("csrfToken"),
    urls: kit.urls,
    format: formatDate,
    signInUrl: kit.signInUrl,
    signOutUrl: kit.signOutUrl,
  });
  return c.html(html, status);
}

const HEADINGS: Partial<Record<number, string>> = { 401: "Please sign in", 403: "Not allowed", 404: "Not found" };

/** A readable error page: 404 for what is not there (or no longer open), 403 for what is not yours. */
export async function errorPage(kit: PageKit, c: Context, problem: Problem): Promise<Response> {
  const heading = HEADINGS[problem.status] ?? "Something is wrong";
  const { message, back } = problem;
  return await page(kit, c, ["error"], { title: heading, heading, message, back }, problem.status);
}

/** "shippingAddress" → "Shipping address"; "send_tracking_code" → "Send tracking code". */
export function labelOf(name: string): string {
  const words = name
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function formatDate(date: Date): string {
  return date.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/** The definition's order first (stored graphs come back from jsonb in another key order), then the rest. */
export function inDefinitionOrder(names: readonly string[], order: readonly string[]): string[] {
  const known = order.filter((name) => names.includes(name));
  return [...known, ...names.filter((name) => !order.includes(name))];
}
