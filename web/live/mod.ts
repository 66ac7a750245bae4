/**
 * Live pages: the workflow page and the inbox update in place as tasks move, with no framework, and
 * are whole pages without JavaScript. The parts:
 * - hub.ts: one poller per web app reads what changed in the database and tells the streams;
 * - routes.ts: the event streams (server-sent events) a page's script listens to;
 * - web/static/live.js: on "change", the script fetches the page's own URL with the header
 *   `X-Joeflow-Fragment: 1`, which answers the page without its layout (web/pages/common.ts), and
 *   swaps each element marked `data-live-region` (by id) for its new version.
 * A page opts in by marking its regions and naming its stream in a `data-live-stream` attribute.
 */
import type { Context } from "hono";
import type { PageKit } from "../pages/common.ts";

export { createLiveHub, type LiveHub, type LiveOptions } from "./hub.ts";
export { liveRoutes } from "./routes.ts";

const FRAGMENT_HEADER = "x-joeflow-fragment";

/** Whether the page is asked for as a fragment, by a live page's script. */
export function isFragment(c: Context): boolean {
  return c.req.header(FRAGMENT_HEADER) !== undefined;
}

/**
 * The stream a page names in `data-live-stream`, starting from now, or undefined when the app has no
 * live pages. A fragment needs none: its page's script is listening already.
 */
export async function liveStream(kit: PageKit, c: Context, url: string): Promise<string | undefined> {
  if (!kit.live || isFragment(c)) return undefined;
  return `${url}?since=${await kit.live.horizon()}`;
}
