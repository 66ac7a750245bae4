import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type HookEvent, SIGNATURE_HEADER, signatureHeader, verifyWebhook, webhook } from "joeflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SECRET = "whsec-test-0123456789";
const event: HookEvent = {
  kind: "workflowDone",
  idempotencyKey: "3f1c2d9e-0000-8000-8000-000000000001",
  workflow: { name: "shipping", id: "3f1c2d9e-0000-4000-8000-000000000002", status: "done" },
  user: "ann",
  at: "2026-12-01T10:00:00.000Z",
  revision: 4,
  state: { trackingCode: "1Z" },
};

/** A real receiver on a free port: it verifies every request as a user's server would. */
const received: { kind: string; key: string | undefined }[] = [];
let answer = 204;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = "";
  req.on("data", (chunk: Buffer) => {
    body += chunk.toString("utf8");
  });
  req.on("end", async () => {
    const check = await verifyWebhook({
      body,
      signatureHeader: req.headers[SIGNATURE_HEADER] as string,
      secret: SECRET,
    });
    // Connection: close, so that no keep-alive connection holds server.close() up (Deno's waited 120 s for one).
    if (!check.ok) {
      res.writeHead(401, { connection: "close" }).end(check.reason);
      return;
    }
    received.push({ kind: (JSON.parse(body) as HookEvent).kind, key: req.headers["idempotency-key"] as string });
    res.writeHead(answer, { connection: "close" }).end();
  });
});
let url = "";

describe("webhooks", () => {
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  const context = { signal: new AbortController().signal, attempt: 1 };

  it("posts the event, signed, and the receiver's check passes", async () => {
    answer = 204;
    await webhook({ url, secret: SECRET })(event, context);
    expect(received.at(-1)).toEqual({ kind: "workflowDone", key: event.idempotencyKey });
  });

  it("fails (so it is retried) when the receiver refuses, e.g. a wrong secret", async () => {
    await expect(webhook({ url, secret: "another secret" })(event, context)).rejects.toThrow(/answered 401/);
    answer = 500;
    await expect(webhook({ url, secret: SECRET })(event, context)).rejects.toThrow(/answered 500/);
  });

  describe("verifyWebhook", () => {
    const body = JSON.stringify(event);
    const now = Date.UTC(2026, 11, 1, 10, 0, 0);
    const t = now / 1000;

    it("accepts a body signed with the secret, within the tolerance", async () => {
      const header = await signatureHeader(SECRET, body, t - 299);
      expect(await verifyWebhook({ body, signatureHeader: header, secret: SECRET, now })).toEqual({
        ok: true,
        timestamp: t - 299,
      });
    });

    it("refuses a tampered body, a wrong secret, an old timestamp and a malformed header", async () => {
      const header = await signatureHeader(SECRET, body, t);
      const tampered = body.replace('"ann"', '"eve"');
      const verify = (options: Partial<Parameters<typeof verifyWebhook>[0]>) =>
        verifyWebhook({ body, signatureHeader: header, secret: SECRET, now, ...options });
      expect(await verify({ body: tampered })).toEqual({ ok: false, reason: "BadSignature" });
      expect(await verify({ secret: "another secret" })).toEqual({ ok: false, reason: "BadSignature" });
      expect(await verify({ now: now + 301_000 })).toEqual({ ok: false, reason: "StaleTimestamp" });
      expect(await verify({ now: now + 301_000, toleranceSeconds: 600 })).toMatchObject({ ok: true });
      // A timestamp moved forward to pass the tolerance no longer matches the signature.
      const moved = header.replace(`t=${t}`, `t=${t + 301}`);
      expect(await verify({ signatureHeader: moved, now: now + 301_000 })).toEqual({
        ok: false,
        reason: "BadSignature",
      });
      for (const malformed of [
        null,
        "",
        "v1=abc",
        `t=${t}`,
        `t=${t},v1=${"g".repeat(64)}`,
        `t=x,v1=${"a".repeat(64)}`,
      ]) {
        expect(await verify({ signatureHeader: malformed })).toEqual({ ok: false, reason: "MalformedSignature" });
      }
    });
  });
});
