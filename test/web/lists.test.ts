import { describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { assignee } from "../fixtures/workflows.ts";
import { Browser, demoApp, linkHref, openTask } from "./helpers.ts";
import { note, useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("the front page and the inbox", () => {
  it("pages through the instances newest first; a garbage cursor shows the first page", async () => {
    const started: string[] = [];
    for (let i = 0; i < 27; i++) {
      started.push((await env.joeflow.start(note, { state: { text: `note ${i}` } })).workflowId);
    }
    const newestFirst = started.toReversed();
    const ids = (html: string) => [...html.matchAll(/<a href="\/note\/([0-9a-f-]{36})\/"><code>/g)].map((m) => m[1]);
    const reader = new Browser(env.app);

    const first = await reader.get("/?name=note");
    expect(first.status).toBe(200);
    expect(first.html).toContain('<option value="note" selected>Note</option>');
    expect(ids(first.html)).toEqual(newestFirst.slice(0, 25));
    const next = linkHref(first.html, { rel: "next" })!;
    expect(next).toMatch(/^\/\?name=note&cursor=./);
    const second = await reader.get(next);
    expect(ids(second.html)).toEqual(newestFirst.slice(25));
    expect(linkHref(second.html, { rel: "next" })).toBeUndefined();

    const garbage = await reader.get("/?name=note&cursor=garbage");
    expect(garbage.status).toBe(200);
    expect(ids(garbage.html)).toEqual(newestFirst.slice(0, 25));
  });

  it("shows the inbox: tasks assigned to the user first, then those anyone may do", async () => {
    const { workflowId: reviewId } = await env.joeflow.start(assignee, { state: {} });
    const review = await openTask(env.joeflow, reviewId, "review");
    const { ship } = await env.order("12 Inbox St");
    const reviewLink = `href="/assignee/review/${review.id}/"`;
    const shipLink = `href="/shipping/ship/${ship.id}/"`;

    const ann = new Browser(env.app);
    await ann.signIn("ann");
    const inbox = await ann.get("/inbox");
    expect(inbox.status).toBe(200);
    const assignedAt = inbox.html.indexOf("<h2>Assigned to you</h2>");
    const anyoneAt = inbox.html.indexOf("<h2>Anyone may do</h2>");
    expect(assignedAt).toBeGreaterThan(-1);
    expect(anyoneAt).toBeGreaterThan(assignedAt);
    expect(inbox.html.indexOf(reviewLink)).toBeGreaterThan(assignedAt);
    expect(inbox.html.indexOf(reviewLink)).toBeLessThan(anyoneAt);
    expect(inbox.html.indexOf(shipLink)).toBeGreaterThan(anyoneAt);
    expect(inbox.html).toContain(`<a href="/assignee/${reviewId}/"><code>${reviewId.slice(0, 8)}</code></a>`);

    const carl = new Browser(env.app);
    await carl.signIn("carl");
    const carlsInbox = await carl.get("/inbox");
    expect(carlsInbox.html).not.toContain(reviewLink);
    expect(carlsInbox.html).toContain(shipLink);

    const anonymous = await new Browser(env.app).get("/inbox");
    expect(anonymous.html).toContain("Sign in to see the tasks assigned to you.");
    expect(anonymous.html).not.toContain(reviewLink);
    expect(anonymous.html).toContain(shipLink);
  });
});

/** Requests that must change nothing or lead nowhere: each was a bug once. */
describe("edge cases that must change nothing", () => {
  it("the inbox links no workflow page where the workflow has none (detailView: false)", async () => {
    const plain = demoApp(env.joeflow, { workflows: [{ workflow: shipping, detailView: false }] });
    const { workflowId } = await env.order("17 Hidden Inbox St");
    const inbox = await new Browser(plain).get("/inbox");
    expect(inbox.html).toContain(`<code>${workflowId.slice(0, 8)}</code>`);
    expect(inbox.html).not.toContain(`href="/shipping/${workflowId}/"`);
  });
});
