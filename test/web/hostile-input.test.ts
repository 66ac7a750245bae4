// no engine needed: every request here is refused before it reaches the engine, or only reads.
/**
 * Bodies and queries an attacker sends on purpose: too big (413, before anything reaches the engine),
 * unreadable as a form (400), or a list cursor this app never gave (422 from the API; the front page
 * shows the first page). None of them changes anything, and none is a 500.
 */
import { describe, expect, it } from "vitest";
import { Browser } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

const MB = 1024 * 1024;
const FORM = "application/x-www-form-urlencoded";
const UUID = "0190a6f0-0000-7000-8000-000000000000";

/** A cursor of our shape (base64 of JSON), with whatever is inside. */
const cursorOf = (value: unknown) => btoa(JSON.stringify(value)).replaceAll("=", "");

describe("a body larger than 1 MB", () => {
  it("is refused with 413 before it is read to the end, on a start view, and creates nothing", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("clerk");
    const token = clerk.csrf!;
    const before = await env.count("shipping");

    // Declared: the Content-Length alone decides, nothing is read.
    const big = `_csrf=${token}&shippingAddress=${"A".repeat(20 * MB)}`;
    let started = performance.now();
    const declared = await clerk.request("/shipping/checkout/", {
      method: "POST",
      headers: { "content-type": FORM, "content-length": String(big.length) },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(declared.html).toContain("The body may have at most 1048576 bytes.");
    expect(performance.now() - started).toBeLessThan(2_000);

    // Streamed, with no length: reading stops soon after the first megabyte.
    let sent = 0;
    const chunk = new TextEncoder().encode("A".repeat(64 * 1024));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode(`_csrf=${token}&shippingAddress=`));
        if (sent >= 20 * MB) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const init = { method: "POST", headers: { "content-type": FORM, "x-csrf-token": token }, body, duplex: "half" };
    started = performance.now();
    const streamed = await clerk.request("/shipping/checkout/", init);
    expect(streamed.status).toBe(413);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(sent).toBeLessThan(2 * MB);

    // The JSON API answers the same, as JSON.
    const api = await clerk.request("/api/shipping/start", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ state: { shippingAddress: "A".repeat(20 * MB) } }),
    });
    expect(api.status).toBe(413);
    expect(JSON.parse(api.html).error.code).toBe("PayloadTooLarge");
    expect(await env.count("shipping")).toBe(before);
  });
});

describe("a form body that cannot be read", () => {
  it("is a 400 on every page POST, CSRF token or not, and changes nothing", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("manager");
    const token = clerk.csrf!;
    const { workflowId, ship } = await env.order("1 Broken Body St");
    const before = await env.joeflow.get(workflowId);
    const instances = await env.count("shipping");
    const paths = [
      "/shipping/checkout/",
      `/shipping/ship/${ship.id}/`,
      `/shipping/${workflowId}/override`,
      `/shipping/${workflowId}/cancel`,
      `/shipping/${workflowId}/tasks/${ship.id}/cancel`,
      "/signin",
      "/signout",
    ];
    const bodies: [string, string][] = [
      ["multipart/form-data", `_csrf=${token}&trackingCode=X`], // no boundary
      ["multipart/form-data; boundary=b", `_csrf=${token}&trackingCode=X`], // no part
      ["multipart/form-data; boundary=b", '--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n'],
    ];
    for (const path of paths) {
      for (const [type, body] of bodies) {
        const variants: Record<string, string>[] = [
          { "content-type": type },
          { "content-type": type, "x-csrf-token": token },
        ];
        for (const headers of variants) {
          const reply = await clerk.request(path, { method: "POST", headers, body });
          expect([path, type, reply.status], reply.html).toEqual([path, type, 400]);
          expect(reply.html).toContain("The body is not a form we can read.");
        }
      }
    }
    expect(await env.joeflow.get(workflowId)).toEqual(before);
    expect(await env.count("shipping")).toBe(instances);
    // Still signed in: the sign-out was refused too.
    expect((await clerk.get("/")).html).toContain("Signed in as <strong>manager</strong>");
  });
});

describe("a list cursor this app never gave", () => {
  const nasty = [
    cursorOf(["99999-01-01T00:00:00.000Z", "x"]),
    cursorOf(["99999-01-01T00:00:00.000Z", UUID]),
    cursorOf(["+099999-01-01T00:00:00.000Z", UUID]),
    cursorOf(["-000001-01-01T00:00:00.000Z", UUID]),
    cursorOf(["0000-01-01T00:00:00.000Z", UUID]),
    cursorOf(["2024-01-01", UUID]),
    cursorOf(["2024-01-01T00:00:00.000Z", "x"]),
    cursorOf([1e20, UUID]),
    cursorOf(["2024-01-01T00:00:00.000Z"]),
    cursorOf(null),
    cursorOf({ 0: "2024-01-01T00:00:00.000Z", 1: UUID }),
    "garbage",
  ];

  it("is a 422 naming the cursor in the API", async () => {
    const reader = new Browser(env.app);
    for (const path of ["/api/shipping/instances", "/api/tasks"]) {
      for (const cursor of nasty) {
        const reply = await reader.get(`${path}?cursor=${encodeURIComponent(cursor)}`);
        expect([path, cursor, reply.status], reply.html).toEqual([path, cursor, 422]);
        expect(JSON.parse(reply.html).error).toMatchObject({ code: "InvalidData", issues: [{ path: ["cursor"] }] });
      }
    }
  });

  it("shows the first page on the front page", async () => {
    const { workflowId } = await env.order("2 Cursor Ct");
    const reader = new Browser(env.app);
    for (const cursor of nasty) {
      const reply = await reader.get(`/?cursor=${encodeURIComponent(cursor)}`);
      expect(reply.status, cursor).toBe(200);
      expect(reply.html).toContain(workflowId);
    }
  });
});
