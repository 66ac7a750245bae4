import { describe, expect, it } from "vitest";
import { Browser, fieldBlock } from "./helpers.ts";
import { useWebStory } from "./stories.ts";

const env = useWebStory("memory");

describe("a clerk starts a shipping order", () => {
  it("finds the workflows and their start forms on the front page", async () => {
    const clerk = new Browser(env.app);
    const front = await clerk.get("/");
    expect(front.status).toBe(200);
    expect(front.contentType).toMatch(/^text\/html/);
    expect(front.html).toContain('<a class="button" href="/shipping/checkout/">Start: Checkout</a>');
    expect(front.html).toContain('<a class="button" href="/welcome/start/">Start: Start</a>');
    expect(front.html).toContain('<a class="button" href="/assignee/request/">Start: Request</a>');
    expect(front.html).not.toContain("/failing/start/"); // started from code only: no form
    expect(front.html).toContain('href="/?name=shipping"');
    expect(front.html).toContain('href="/signin"'); // nobody signed in yet
    expect(clerk.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const css = await clerk.get("/static/joeflow.css");
    expect(css.status).toBe(200);
    expect(css.contentType).toMatch(/^text\/css/);
  });

  it("sees the start form with labels, required marks and the CSRF field", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("clerk");
    const form = await clerk.get("/shipping/checkout/");
    expect(form.status).toBe(200);
    expect(form.html).toContain("<h1>Checkout</h1>");
    expect(form.html).toContain('<form method="post" action="/shipping/checkout/" novalidate>');
    expect(form.html).toContain(`<input type="hidden" name="_csrf" value="${clerk.csrf}">`);
    expect(fieldBlock(form.html, "shippingAddress")).toContain(
      '<label for="field-shippingAddress">Shipping address <abbr title="required">*</abbr></label>',
    );
    expect(fieldBlock(form.html, "shippingAddress")).toMatch(
      /<textarea id="field-shippingAddress" name="shippingAddress" required/,
    );
    expect(fieldBlock(form.html, "email")).toContain('<label for="field-email">Email</label>'); // optional: no mark
    expect(fieldBlock(form.html, "email")).toMatch(/<input id="field-email" name="email" type="email">/);
    expect(form.html).not.toContain("trackingCode"); // not a field of this form
    expect(form.html).toContain("Signed in as <strong>clerk</strong>");
    expect(form.html).toContain('<button type="submit">Start Shipping</button>');
  });

  it("gets the errors next to the fields, keeps what was typed, and nothing is created", async () => {
    const clerk = new Browser(env.app);
    await clerk.signIn("clerk");
    const before = await env.count("shipping");
    const reply = await clerk.post("/shipping/checkout/", { shippingAddress: "   ", email: "not-mail" });
    expect(reply.status).toBe(422);
    expect(reply.html).toContain('<div class="errors" role="alert"><p>Please correct the errors below.</p></div>');
    const address = fieldBlock(reply.html, "shippingAddress")!;
    expect(address).toContain('class="field field-textarea field-invalid"');
    expect(address).toMatch(/<ul class="field-errors" id="field-shippingAddress-errors">\s*<li>[^<]+<\/li>/);
    expect(address).toContain('aria-invalid="true"');
    const email = fieldBlock(reply.html, "email")!;
    expect(email).toMatch(/<ul class="field-errors" id="field-email-errors">\s*<li>[^<]+<\/li>/);
    expect(email).toContain('value="not-mail"');
    expect(await env.count("shipping")).toBe(before);

    // One field wrong: the other keeps its text.
    const again = await clerk.post("/shipping/checkout/", { shippingAddress: "7 Kept Lane", email: "still wrong" });
    expect(again.status).toBe(422);
    expect(fieldBlock(again.html, "shippingAddress")).toMatch(/>\s*7 Kept Lane<\/textarea>/);
    expect(fieldBlock(again.html, "shippingAddress")).not.toContain("field-errors");
    expect(fieldBlock(again.html, "email")).toContain('value="still wrong"');
    expect(await env.count("shipping")).toBe(before);
  });
});

/** Requests that must change nothing or lead nowhere: each was a bug once. */
describe("edge cases that must change nothing", () => {
  it("a HEAD request to a start form only shows it", async () => {
    const prefetcher = new Browser(env.app);
    const before = await env.count("welcome");
    const reply = await prefetcher.request("/welcome/start/", { method: "HEAD" });
    expect(await env.count("welcome")).toBe(before);
    expect(reply.status).toBe(200);
  });
});
