// no engine needed: instances change through the store's own message transactions, which is what pages watch.
/**
 * Live pages: a workflow page and the inbox name an event stream; the stream says "change" when the
 * instance (or, for the inbox, any instance) moves, and the page's script then fetches the page as a
 * fragment. Streams and fragments ask the permission the page asks, and a process keeps only so many.
 */
import type { Hono } from "hono";
import { createWebApp } from "joeflow/web";
import { describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { unescapeHtml } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

/** An event stream as a browser's EventSource reads it: events by name, in order. */
async function listen(app: Hono, url: string, headers: Record<string, string> = {}) {
  const response = await app.request(url, { headers });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: { event: string; id?: string }[] = [];
  const pump = (async () => {
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined);
      if (!chunk || chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const fields = Object.fromEntries(
          buffer
            .slice(0, end)
            .split("\n")
            .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]),
        );
        buffer = buffer.slice(end + 2);
        events.push({ event: fields.event ?? "message", id: fields.id });
      }
    }
  })();
  return {
    response,
    events,
    /** Resolves with the first event of this name from here on, or rejects after `ms`. */
    async next(event: string, ms = 5_000) {
      const from = events.length;
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.slice(from).find((e) => e.event === event);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no "${event}" event in ${ms} ms: ${JSON.stringify(events)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    /** The names of the events that came in the next `ms`. */
    async during(ms: number) {
      const from = events.length;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return events.slice(from).map((e) => e.event);
    },
    async close() {
      await reader?.cancel();
      await pump;
    },
  };
}

/** The stream a page names in `data-live-stream`. */
function streamOf(html: string): string {
  const url = /data-live-stream="([^"]+)"/.exec(html)?.[1];
  if (!url) throw new Error("The page names no event stream");
  return unescapeHtml(url);
}

describe("a workflow page that updates as its instance moves", () => {
  it("names its stream, which says 'change' when a task of the instance is completed", async () => {
    const { workflowId, ship } = await env.order("1 Live St");
    const page = await env.app.request(`/shipping/${workflowId}/`);
    const url = streamOf(await page.text());
    expect(url).toMatch(new RegExp(`^/shipping/${workflowId}/events\\?since=\\d+$`));

    const stream = await listen(env.app, url);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream");
    await stream.next("ready");
    await env.joeflow.completeTask(ship.id, { data: { trackingCode: "1Z" }, user: "warehouse" });
    const change = await stream.next("change");
    expect(change.id).toMatch(/^\d+$/);
    await stream.close();
  });

  it("hears of a change made between the page's rendering and its script's connecting", async () => {
    const { workflowId, ship } = await env.order("2 Live St");
    const url = streamOf(await (await env.app.request(`/shipping/${workflowId}/`)).text());
    await env.joeflow.completeTask(ship.id, { data: { trackingCode: "2Z" }, user: "warehouse" });
    const stream = await listen(env.app, url);
    await stream.next("change");
    await stream.close();
  });

  it("stays quiet while other instances move", async () => {
    const { workflowId } = await env.order("3 Quiet St");
    const stream = await listen(env.app, `/shipping/${workflowId}/events`);
    await stream.next("ready");
    const other = await env.order("4 Busy St");
    await env.joeflow.completeTask(other.ship.id, { data: { trackingCode: "T-4" }, user: "warehouse" });
    expect(await stream.during(1_500)).not.toContain("change");
    await stream.close();
  });

  it("gives its sections without the layout when the script asks for a fragment", async () => {
    const { workflowId, ship } = await env.order("5 Fragment St");
    await env.joeflow.completeTask(ship.id, { data: { trackingCode: "5Z" }, user: "warehouse" });
    const fragment = await env.app.request(`/shipping/${workflowId}/`, { headers: { "x-joeflow-fragment": "1" } });
    const html = await fragment.text();
    expect(fragment.status).toBe(200);
    expect(fragment.headers.get("vary")).toContain("x-joeflow-fragment");
    expect(html).not.toContain("<html");
    expect(html).not.toContain("data-live-stream");
    for (const region of ["summary", "graph", "state", "tasks", "failed", "history"]) {
      expect(html).toContain(`id="live-${region}" data-live-region`);
    }
    expect(html).toContain("5Z");
  });

  it("is a 404 for an instance that is not there or of another workflow", async () => {
    const { workflowId } = await env.order();
    expect((await env.app.request(`/welcome/${workflowId}/events`)).status).toBe(404);
    expect((await env.app.request(`/shipping/${crypto.randomUUID()}/events`)).status).toBe(404);
    expect((await env.app.request("/shipping/not-an-id/events")).status).toBe(404);
  });
});

describe("an inbox that gains new tasks without a reload", () => {
  it("names its stream, which says 'change' when a new task comes", async () => {
    const inbox = await env.app.request("/inbox");
    const url = streamOf(await inbox.text());
    expect(url).toMatch(/^\/inbox\/events\?since=\d+$/);
    const stream = await listen(env.app, url);
    await stream.next("ready");
    await env.order("6 Inbox St");
    await stream.next("change");
    const fragment = await env.app.request("/inbox", { headers: { "x-joeflow-fragment": "1" } });
    expect(await fragment.text()).toContain('id="live-inbox" data-live-region');
    await stream.close();
  });
});

describe("streams and fragments ask the page's permission, and are bounded", () => {
  const app = (options: { maxListeners?: number } = {}) =>
    createWebApp({
      joeflow: env.joeflow,
      workflows: [shipping],
      auth: { user: (c) => c.req.header("x-user") ?? null, can: ({ user }) => user === "boss" },
      live: { maxListeners: options.maxListeners ?? 10, pollMs: 100 },
    });

  it("refuses the stream and the fragment to whoever may not view the instance", async () => {
    const { workflowId } = await env.order();
    const hidden = app();
    const people: Record<string, string>[] = [{}, { "x-user": "ann" }];
    for (const headers of people) {
      const stream = await hidden.request(`/shipping/${workflowId}/events`, { headers });
      expect(stream.status).toBe("x-user" in headers ? 403 : 401);
      const fragment = await hidden.request(`/shipping/${workflowId}/`, {
        headers: { ...headers, "x-joeflow-fragment": "1" },
      });
      expect(fragment.status).toBe("x-user" in headers ? 403 : 401);
    }
    const seen = await listen(hidden, `/shipping/${workflowId}/events`, { "x-user": "boss" });
    expect(seen.response.status).toBe(200);
    await seen.close();
  });

  it("keeps at most maxListeners streams open, 503 beyond, and frees a place when a client leaves", async () => {
    const { workflowId } = await env.order();
    const small = app({ maxListeners: 1 });
    const url = `/shipping/${workflowId}/events`;
    const first = await listen(small, url, { "x-user": "boss" });
    await first.next("ready");
    const refused = await small.request(url, { headers: { "x-user": "boss" } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect((await refused.text()).toLowerCase()).toContain("too many live pages");
    await first.close();
    let again = await small.request(url, { headers: { "x-user": "boss" } });
    for (let tries = 0; again.status === 503 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await small.request(url, { headers: { "x-user": "boss" } });
    }
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });
});
