import { describe, expect, it } from "vitest";
import { Browser } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("security", () => {
  it("refuses a POST without the CSRF token, or with another's, and changes nothing", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("clerk");
    const before = await env.count("shipping");
    const forged = { shippingAddress: "14 Forged St" };
    const missing = await clerk.post("/shipping/checkout/", forged, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.html).toContain("CSRF token is missing or wrong");
    const wrong = await clerk.post("/shipping/checkout/", forged, { csrf: "x".repeat(43) });
    expect(wrong.status).toBe(403);
    // An attacker's page knows its own token, not the victim's cookie.
    const attacker = new Browser(env.app);
    await attacker.get("/");
    expect((await clerk.post("/shipping/checkout/", forged, { csrf: attacker.csrf! })).status).toBe(403);
    expect(await env.count("shipping")).toBe(before);

    const { workflowId, ship } = await env.order("15 Guarded St");
    const unsigned = (path: string, form: Record<string, string | string[]> = {}) =>
      clerk.post(path, form, { csrf: false });
    expect((await unsigned(`/shipping/ship/${ship.id}/`, { trackingCode: "forged" })).status).toBe(403);
    expect((await unsigned(`/shipping/${workflowId}/override`, { shippingAddress: "forged", next: [] })).status).toBe(
      403,
    );
    expect((await unsigned(`/shipping/${workflowId}/cancel`)).status).toBe(403);
    expect((await unsigned("/signout")).status).toBe(403);
    const instance = await env.joeflow.get(workflowId);
    expect(instance.status).toBe("running");
    expect(instance.state).toEqual({ shippingAddress: "15 Guarded St" });
    expect(instance.tasks.find((t) => t.id === ship.id)!.status).toBe("scheduled");
  });
});
