// no engine needed: the pages, their static files and the words after an action
import { describe, expect, it } from "vitest";
import { Browser } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("after an action the page says what happened, in our words only", () => {
  it("shows the sentence of a known code, names only the workflow's own tasks, and ignores the rest", async () => {
    const { workflowId } = await env.order("4 Flash Ln");
    const clerk = new Browser(env.app);
    await clerk.signIn("clerk");
    const page = `/shipping/${workflowId}/`;
    const flash = async (query: string) =>
      /<p class="flash" role="status">([^<]*)<\/p>/.exec((await clerk.get(`${page}${query}`)).html)?.[1];
    expect(await flash("?done=cancelTask&task=ship")).toBe("Cancelled “Ship”.");
    expect(await flash("?done=rerun&task=sendTrackingCode")).toBe("“Send tracking code” runs again.");
    expect(await flash("?done=cancelWorkflow")).toBe("Cancelled this Shipping workflow.");
    // A task the workflow does not have is not named: no words of the link's maker get onto the page.
    expect(await flash("?done=cancelTask&task=Call_555_now")).toBe("Cancelled the task.");
    expect(await flash("?done=completeTask&task=%3Cb%3Ehi%3C/b%3E")).toBe("Completed the task.");
    expect(await flash("?done=Your+account+is+locked")).toBeUndefined();
    expect(await flash("?done=")).toBeUndefined();
    expect(await flash("")).toBeUndefined();
  });
});

describe("what every page has", () => {
  it("a favicon and the script that shows times in the reader's zone, both from this site", async () => {
    const visitor = new Browser(env.app);
    const front = await visitor.get("/");
    expect(front.html).toContain('<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">');
    expect(front.html).toContain('<script src="/static/joeflow.js" defer></script>');
    const icon = await visitor.get("/static/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.contentType).toBe("image/svg+xml");
    expect(icon.html).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const script = await visitor.get("/static/joeflow.js");
    expect(script.status).toBe(200);
    expect(script.contentType).toBe("text/javascript; charset=utf-8");
    expect(script.html).toContain('querySelectorAll("time[datetime]');
  });

  it("a start form's button says which workflow it starts", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("clerk");
    expect((await clerk.get("/shipping/checkout/")).html).toContain('<button type="submit">Start Shipping</button>');
    expect((await clerk.get("/approval/request/")).html).toContain('<button type="submit">Start Approval</button>');
  });
});
