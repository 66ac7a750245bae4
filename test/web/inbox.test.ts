/**
 * The inbox people work from: a tab per scope with its count, titles and short ids, a search over the
 * titles, filters by workflow and task, and pages; plain links and GET forms, no script needed. The
 * JSON API answers the same. (Groups and claims are in test/store/inbox.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { shortId } from "joeflow";
import { shipping } from "../../examples/shipping.ts";
import { assignee } from "../fixtures/workflows.ts";
import { Browser, demoApp, linkHref, openTask } from "./helpers.ts";
import { note, useWebStory } from "./stories.ts";

const env = useWebStory("memory");

/** The delimited task table (live pages refresh it): its rows' task links. */
const taskLinks = (html: string) => {
  const tasks = /<section id="tasks"[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? "";
  return [...tasks.matchAll(/<tr>\s*<td><a href="(\/[^"]+)">/g)].map((m) => m[1]);
};
/** The scope tabs as "Mine 1", "All 3", ... */
const tabs = (html: string) =>
  [...html.matchAll(/<li><a href="[^"]*"[^>]*>([^<]+)\s*<span class="count">(\d+)<\/span>/g)].map(
    (m) => `${m[1]!.trim()} ${m[2]}`,
  );

describe("the inbox", () => {
  it("shows ann her tasks, the team's and everything, each with its count, title and short id", async () => {
    const { workflowId: reviewId } = await env.joeflow.start(assignee, { state: {} });
    const review = `/assignee/review/${(await openTask(env.joeflow, reviewId, "review")).id}/`;
    const { workflowId: orderId, ship } = await env.order("12 Inbox St");
    const shipUrl = `/shipping/ship/${ship.id}/`;
    const ann = new Browser(env.app);
    await ann.signIn("ann");

    const all = await ann.get("/inbox");
    expect(all.status).toBe(200);
    expect(taskLinks(all.html)).toEqual([shipUrl, review]);
    expect(tabs(all.html)).toEqual(["Mine 1", "My groups 0", "Unassigned 1", "Overdue 0", "All 2"]);
    expect(all.html).toContain('<a href="/inbox" aria-current="page">All');
    expect(all.html).toContain(
      `<a href="/shipping/${orderId}/">Order to 12 Inbox St</a> <code title="${orderId}">${shortId(orderId)}</code>`,
    );
    // Without a title of its own, an instance is called by its workflow's label and short id.
    expect(all.html).toContain(`<a href="/assignee/${reviewId}/">Assignee ${shortId(reviewId)}</a>`);

    expect(taskLinks((await ann.get("/inbox?scope=mine")).html)).toEqual([review]);
    expect(taskLinks((await ann.get("/inbox?scope=unassigned")).html)).toEqual([shipUrl]);
    const carl = new Browser(env.app);
    await carl.signIn("carl");
    expect(taskLinks((await carl.get("/inbox?scope=mine")).html)).toEqual([]);
    const anonymous = await new Browser(env.app).get("/inbox?scope=mine");
    expect(anonymous.html).toContain("Sign in to see the tasks assigned to you.");
    expect(taskLinks(anonymous.html)).toEqual([]);
  });

  it("searches the titles in any case and filters by workflow and task, keeping the choices in the form", async () => {
    const apple = (await env.order("1 Apple Rd")).ship.id;
    await env.order("2 Pear Rd");
    const reader = new Browser(env.app);

    const found = await reader.get("/inbox?search=APPLE+rd");
    expect(taskLinks(found.html)).toEqual([`/shipping/ship/${apple}/`]);
    expect(found.html).toContain('name="search" value="APPLE rd"');
    expect(tabs(found.html)).toContain("All 1");
    // The tabs keep the search.
    expect(found.html).toContain('href="/inbox?scope=unassigned&amp;search=APPLE+rd"');

    const reviews = await reader.get("/inbox?workflow=assignee&task=review");
    expect(taskLinks(reviews.html).every((url) => url?.startsWith("/assignee/review/"))).toBe(true);
    expect(reviews.html).toContain('<option value="assignee" selected>Assignee</option>');
    expect(reviews.html).toContain('<option value="review" selected>Review</option>');
    expect(taskLinks((await reader.get("/inbox?task=ship&search=pear")).html)).toHaveLength(1);
  });

  it("pages through many open tasks, fifty at a time", async () => {
    for (let i = 0; i < 55; i++) await env.joeflow.start(note, { state: { text: `note ${i}` } });
    const reader = new Browser(env.app);
    const first = await reader.get("/inbox?workflow=note");
    expect(taskLinks(first.html)).toHaveLength(50);
    expect(tabs(first.html)).toContain("All 55");
    const next = linkHref(first.html, { rel: "next" })!;
    expect(next).toMatch(/^\/inbox\?workflow=note&cursor=./);
    const second = await reader.get(next);
    expect(taskLinks(second.html)).toHaveLength(5);
    expect(new Set([...taskLinks(first.html), ...taskLinks(second.html)]).size).toBe(55);
    expect(linkHref(second.html, { rel: "next" })).toBeUndefined();
    // A stale cursor shows the first page.
    expect(taskLinks((await reader.get("/inbox?workflow=note&cursor=garbage")).html)).toHaveLength(50);
  });

  it("refuses a scope or workflow it does not know, saying which", async () => {
    const reader = new Browser(env.app);
    const scope = await reader.get("/inbox?scope=bogus");
    expect(scope.status).toBe(422);
    expect(scope.html).toContain("scope");
    expect((await reader.get("/inbox?workflow=nope")).status).toBe(422);
  });

  it("answers the same in the JSON API, with the counts, and refuses bad filters by name", async () => {
    const { workflowId, ship } = await env.order("7 Api Lane");
    const ann = new Browser(env.app, { accept: "application/json" });
    await ann.signIn("ann");
    const reply = await ann.get("/api/inbox?scope=unassigned&search=api+lane");
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.html);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ id: ship.id, workflowId, workflowTitle: "Order to 7 Api Lane" });
    expect(body.counts).toEqual({ mine: 0, groups: 0, unassigned: 1, overdue: 0, all: 1 });
    expect(body.nextCursor).toBeNull();
    for (const [query, field] of [
      ["scope=bogus", "scope"],
      ["cursor=garbage", "cursor"],
      ["limit=0", "limit"],
      [`search=${"x".repeat(201)}`, "search"],
    ]) {
      const refused = await ann.get(`/api/inbox?${query}`);
      expect([query, refused.status, JSON.parse(refused.html).error.issues[0].path]).toEqual([query, 422, [field]]);
    }
    const openapi = JSON.parse((await ann.get("/api/openapi.json")).html);
    expect(openapi.paths["/inbox"].get.operationId).toBe("inbox");
  });

  it("links no workflow page where the workflow has none (detailView: false)", async () => {
    const plain = demoApp(env.joeflow, { workflows: [{ workflow: shipping, detailView: false }] });
    const { workflowId } = await env.order("17 Hidden Inbox St");
    const inbox = await new Browser(plain).get("/inbox");
    expect(inbox.html).toContain(
      `Order to 17 Hidden Inbox St <code title="${workflowId}">${shortId(workflowId)}</code>`,
    );
    expect(inbox.html).not.toContain(`href="/shipping/${workflowId}/"`);
  });
});
