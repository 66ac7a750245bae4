// no engine needed: signing in and out only sets cookies and redirects; a reserved name fails at definition.
/** The demo's sign-in: in, out, never off to another site; and a workflow name the app keeps for itself. */
import { defineWorkflow, tasks } from "joeflow";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Browser } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("security", () => {
  it("signs in and out, and never redirects to another site", async () => {
    const visitor = new Browser(env.app);
    for (const next of ["//evil.example", "https://evil.example/", "/\\evil.example", "evil.example"]) {
      const page = await visitor.get(`/signin?next=${encodeURIComponent(next)}`);
      expect(page.html).toContain('<input type="hidden" name="next" value="/">');
      const reply = await visitor.post("/signin", { name: "ann", next });
      expect(reply.status, next).toBe(303);
      expect(reply.location, next).toBe("/");
    }
    expect((await visitor.get("/")).html).toContain("Signed in as <strong>ann</strong>");
    expect((await visitor.post("/signin", { name: "bob", next: "/inbox" })).location).toBe("/inbox");
    expect((await visitor.get("/")).html).toContain("Signed in as <strong>bob</strong>");

    const bad = await visitor.post("/signin", { name: "<bob>" });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('<div class="errors" role="alert">');

    const out = await visitor.post("/signout");
    expect(out.status).toBe(303);
    expect(out.location).toBe("/");
    expect(visitor.cookies.has("joeflow_user")).toBe(false);
    expect((await visitor.get("/")).html).not.toContain("Signed in as");

    // A forged user cookie is nobody.
    visitor.cookies.set("joeflow_user", "manager.bm90LWEtc2lnbmF0dXJl");
    expect((await visitor.get("/")).html).not.toContain("Signed in as");
  });
});

/** Requests that must change nothing or lead nowhere: each was a bug once. */
describe("edge cases that must change nothing", () => {
  it("sign-in's next=/<TAB>/evil.example stays on this site", async () => {
    const reply = await new Browser(env.app).post("/signin", { name: "ann", next: "/\t/evil.example" });
    expect(reply.status).toBe(303);
    expect(new URL(reply.location!, "http://joeflow.test/").host).toBe("joeflow.test");
  });

  it("sign-in's next with a newline redirects to /", async () => {
    const reply = await new Browser(env.app).post("/signin", { name: "ann", next: "/\n/evil.example" });
    expect(reply.status).toBe(303);
    expect(reply.location).toBe("/");
  });

  it('a workflow may not be named "api": the JSON API lives there', async () => {
    const define = () =>
      defineWorkflow({
        name: "api",
        state: z.object({ note: z.string().default("") }),
        tasks: { start: tasks.startView({ fields: ["note"] }) },
        edges: [],
      });
    expect(define).toThrow(/name "api" is reserved/);
  });
});
