import type { Context } from "hono";
import { shortId } from "joeflow";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { CustomTaskViews } from "../custom.ts";
import type { WebDeps } from "../deps.ts";
import type { Problem } from "../errors.ts";
import type { LiveHub } from "../live/hub.ts";
import { isFragment } from "../live/mod.ts";
import type { Templates } from "../templates.ts";
import type { Urls } from "../urls.ts";
import { flashOf } from "./flash.ts";

/** What page handlers share: the app's parts and the rendering of whole pages. */
export interface PageKit {
  readonly deps: WebDeps;
  readonly templates: Templates;
  readonly urls: Urls;
  readonly views: CustomTaskViews;
  readonly signInUrl?: string;
  readonly signOutUrl?: string;
  /** Live pages' change events; none when the app is made with `live: false`. */
  readonly live?: LiveHub;
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
  // A live page's script asks for the page's sections only: the same page without the layout.
  const fragment = isFragment(c);
  if (fragment) c.header("vary", "x-joeflow-fragment");
  const html = kit.templates.render(
    candidates,
    {
      flash: flashOf(c, kit.deps.workflows, typeof data.workflow === "string" ? data.workflow : undefined),
      ...data,
      user: await currentUser(kit, c),
      csrf: c.get("csrfToken"),
      urls: kit.urls,
      format: formatDate,
      shortId,
      signInUrl: kit.signInUrl,
      signOutUrl: kit.signOutUrl,
    },
    { fragment },
  );
  return c.html(html, status);
}

const HEADINGS: Partial<Record<number, string>> = { 401: "Please sign in", 403: "Not allowed", 404: "Not found" };

/** A readable error page: 404 for what is not there (or no longer open), 403 for what is not yours. */
export async function errorPage(kit: PageKit, c: Context, problem: Problem): Promise<Response> {
  const heading = HEADINGS[problem.status] ?? "Something is wrong";
  const { message, back } = problem;
  for (const [name, value] of Object.entries(problem.headers)) c.header(name, value); // Allow, Retry-After
  return await page(kit, c, ["error"], { title: heading, heading, message, back }, problem.status);
}

/** "shippingAddress" → "Shipping address"; "send_tracking_code" → "Send tracking code". */
export { labelOf } from "joeflow";

function formatDate(date: Date): string {
  return date.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/** The definition's order first (stored graphs come back from jsonb in another key order), then the rest. */
export function inDefinitionOrder(names: readonly string[], order: readonly string[]): string[] {
  const known = order.filter((name) => names.includes(name));
  return [...known, ...names.filter((name) => !order.includes(name))];
}

export interface Difference {
  readonly key: string;
  readonly before: string;
  readonly after: string;
}

/** The fields whose values differ, each as text ("—" for none), in the order of their keys. */
export function differences(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): Difference[] {
  const show = (value: unknown) =>
    value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => ({ key, before: show(before[key]), after: show(after[key]) }));
}
