// no engine needed: completing is a message applied by the store's transactions (the memory story)
import { describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { DEMO_GROUPS, demoAuth } from "../../web/demo-auth.ts";
import { Browser, demoApp } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

/** The app as examples/serve.ts wires it: sign-in required to complete, the demo's teams. */
const demoServerApp = () =>
  demoApp(env.joeflow, { workflows: [shipping] }, { requireSignIn: true, groups: DEMO_GROUPS });

describe("the demo asks who completes a task", () => {
  it("sends an anonymous visitor to sign in, and records who shipped once they have", async () => {
    const app = demoServerApp();
    const { workflowId, ship } = await env.order("6 Anonymous Ave");
    const form = `/shipping/ship/${ship.id}/`;
    const visitor = new Browser(app);
    expect((await visitor.get(`/shipping/${workflowId}/`)).status).toBe(200); // looking is free
    const refused = await visitor.post(form, { trackingCode: "ANON" });
    expect(refused.status).toBe(303);
    expect(refused.location).toBe(`/signin?next=${encodeURIComponent(form)}`);
    expect((await visitor.postJson(`/api/tasks/${ship.id}/complete`, { data: {} })).status).toBe(401);
    expect((await env.joeflow.getTask(ship.id)).status).toBe("scheduled");

    await visitor.signIn("warehouse", form);
    expect((await visitor.post(form, { trackingCode: "SIGNED" })).status).toBe(303);
    expect(await env.joeflow.getTask(ship.id)).toMatchObject({ status: "succeeded", completedByUser: "warehouse" });
  });

  it("says the demo users' groups, and none for strangers", async () => {
    const { auth } = demoAuth({ groups: DEMO_GROUPS });
    expect(await auth.groups?.("ann")).toEqual(["warehouse"]);
    expect(await auth.groups?.("constructor")).toEqual([]);
    expect(await auth.groups?.("zoe")).toEqual([]);
  });
});
