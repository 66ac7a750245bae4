/**
 * The live pages' event streams (server-sent events): `GET /{name}/{id}/events` for a workflow page,
 * `GET /inbox/events` for the inbox. An event says only "change": the page's script then fetches its
 * own URL again as a fragment (see web/live/mod.ts), which asks every permission the page asks, so a
 * stream carries nothing a person may not see. The inbox's stream hears of any instance (a task may
 * come or go in any), which tells a visitor no more than that something moved.
 *
 * Bounded: each process keeps at most `maxListeners` streams (503 beyond), each sends a heartbeat
 * every 15 s (proxies close quiet connections), ends after 10 minutes (the browser reconnects at once,
 * and the permission is asked again), and stops listening the moment the client goes away.
 */
import type { Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { UnknownWorkflow } from "joeflow";
import { notFound, WebError } from "../errors.ts";
import type { PageKit } from "../pages/common.ts";
import { guard } from "../pages/guard.ts";
import { isId } from "../urls.ts";
import type { Interest, LiveHub, Round } from "./hub.ts";

const HEARTBEAT_MS = 15_000;
const MAX_AGE_MS = 10 * 60_000;
/** How soon the browser reconnects after a stream ends. */
const RETRY_MS = 1_000;
const HORIZON = /^\d{1,20}$/;
/** A transaction id as PostgreSQL's xid8 takes it (at most 2^64 - 1); anything else starts from now. */
const isHorizon = (text: string) => HORIZON.test(text) && BigInt(text) > 0n && BigInt(text) < 2n ** 64n;

export function liveRoutes(app: Hono, kit: PageKit, hub: LiveHub): void {
  app.get("/inbox/events", (c) => eventStream(c, hub, "any"));
  app.get("/:name/:id/events", async (c) => {
    const name = c.req.param("name");
    const id = c.req.param("id");
    if (!kit.deps.workflows.get(name)?.detailView || !isId(id)) throw notFound("This workflow has no such page.");
    const instance = await kit.deps.joeflow.get(id).catch((error: unknown) => {
      if (error instanceof UnknownWorkflow) return undefined;
      throw error;
    });
    if (instance?.name !== name) throw notFound("There is no such workflow instance.");
    await guard(kit, c, "view", name, id);
    return await eventStream(c, hub, { workflowId: id });
  });
}

async function eventStream(c: Context, hub: LiveHub, interest: Interest): Promise<Response> {
  // A reconnecting browser says the last event's id: the horizon it has heard everything up to.
  const given = c.req.header("last-event-id") || c.req.query("since") || "";
  const since = isHorizon(given) ? given : await hub.horizon();
  let latest: Round | undefined;
  let wake = () => {};
  const stop = hub.listen(interest, since, (round) => {
    latest = { horizon: round.horizon, changed: round.changed || latest?.changed === true };
    if (round.changed) wake();
  });
  if (!stop) {
    throw new WebError(503, "Busy", "Too many live pages are open on this server; this one updates when reloaded.", {
      headers: { "retry-after": "30" },
    });
  }
  c.header("x-accel-buffering", "no"); // nginx: pass events on as they come
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => wake());
    const until = Date.now() + MAX_AGE_MS;
    try {
      await stream.writeSSE({ event: "ready", data: "", retry: RETRY_MS });
      while (!stream.aborted && Date.now() < until) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(HEARTBEAT_MS, until - Date.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (stream.aborted) break;
        const round = latest;
        latest = undefined;
        // Every event carries the horizon it brings the page up to, so a reconnect resumes there.
        if (round?.changed) await stream.writeSSE({ event: "change", data: "", id: round.horizon });
        else await stream.writeSSE({ event: "ping", data: "", ...(round ? { id: round.horizon } : {}) });
      }
    } finally {
      stop();
    }
  });
}
