import { describe, expect, it } from "vitest";
import { Browser, linkHref } from "./helpers.ts";
import { note, useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("the front page", () => {
  it("pages through the instances newest first; a garbage cursor shows the first page", async () => {
    const started: string[] = [];
    for (let i = 0; i < 27; i++) {
      started.push((await env.joeflow.start(note, { state: { text: `note ${i}` } })).workflowId);
    }
    const newestFirst = started.toReversed();
    const ids = (html: string) => [...html.matchAll(/<a href="\/note\/([0-9a-f-]{36})\/">/g)].map((m) => m[1]);
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
});
