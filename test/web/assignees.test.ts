import { createWebApp } from "joeflow/web";
import { describe, expect, it } from "vitest";
import { assignee } from "../fixtures/workflows.ts";
import { Browser, fieldBlock, headerAuth, openTask } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("a task with assignees", () => {
  async function review() {
    const { workflowId } = await env.joeflow.start(assignee, { state: {}, user: "requester" });
    return { workflowId, review: await openTask(env.joeflow, workflowId, "review") };
  }

  it("sends somebody not signed in to the sign-in page, and back to the task after", async () => {
    const { review: task } = await review();
    const ann = new Browser(env.app);
    const path = `/assignee/review/${task.id}/`;
    const reply = await ann.get(path);
    expect(reply.status).toBe(303);
    expect(reply.location).toBe(`/signin?next=${encodeURIComponent(path)}`);
    const signInPage = await ann.get(reply.location!);
    expect(signInPage.html).toContain(`<input type="hidden" name="next" value="${path}">`);
    const signedIn = await ann.signIn("ann", path);
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe(path);
    const form = await ann.get(path);
    expect(form.status).toBe(200);
    expect(fieldBlock(form.html, "approved")).toMatch(
      /<input id="field-approved" name="approved" type="checkbox" value="true">/,
    );
  });

  it("forbids another user (403) and lets an assignee complete it", async () => {
    const { workflowId, review: task } = await review();
    const carl = new Browser(env.app);
    await carl.signIn("carl");
    const path = `/assignee/review/${task.id}/`;
    const seen = await carl.get(path);
    expect(seen.status).toBe(403);
    expect(seen.html).toContain("<h1>Not allowed</h1>");
    expect(seen.html).toContain("This task is assigned to someone else.");
    expect((await carl.post(path, { approved: "true" })).status).toBe(403);
    expect((await env.joeflow.get(workflowId)).state).toEqual({ approved: false });

    const bob = new Browser(env.app);
    await bob.signIn("bob");
    const done = await bob.post(path, { approved: "true" });
    expect(done.status).toBe(303);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state).toEqual({ approved: true });
    expect(instance.tasks.find((t) => t.name === "confirm")!.assignees).toEqual(["bob"]);
  });

  it("answers 401 when the auth has no sign-in page", async () => {
    const { review: task } = await review();
    const behindProxy = createWebApp({ joeflow: env.joeflow, workflows: [assignee], auth: headerAuth() });
    const anonymous = await new Browser(behindProxy).get(`/assignee/review/${task.id}/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.html).toContain("<h1>Please sign in</h1>");
    const as = (user: string) => new Browser(behindProxy, { "x-user": user });
    expect((await as("carl").get(`/assignee/review/${task.id}/`)).status).toBe(403);
    expect((await as("ann").get(`/assignee/review/${task.id}/`)).status).toBe(200);
  });

  it("asks the auth hook who the user is once per request, however many checks the page makes", async () => {
    const { review: task } = await review();
    let asked = 0;
    const counting = headerAuth();
    const counted = createWebApp({
      joeflow: env.joeflow,
      workflows: [assignee],
      auth: {
        ...counting,
        user: (c) => {
          asked++;
          return counting.user(c);
        },
      },
    });
    const page = await new Browser(counted, { "x-user": "ann" }).get(`/assignee/review/${task.id}/`);
    expect(page.status).toBe(200);
    expect(asked).toBe(1);
  });
});
