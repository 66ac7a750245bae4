/**
 * The webhook helper: a hook that POSTs its event as JSON, signed, and the receiver's check.
 *
 * The header `joeflow-signature: t=<unix seconds>,v1=<hex>` carries HMAC-SHA256 over `${t}.${body}`
 * with the shared secret: the receiver recomputes it over the body exactly as received, and refuses a
 * timestamp older (or newer) than its tolerance, so a captured request cannot be replayed later.
 * `idempotency-key` is the event's key: the same for every retry of one event, so a receiver can skip
 * what it has seen (delivery is at least once).
 */
import { type Duration, durationMs } from "../definition/duration.ts";
import type { HookContext, HookEvent } from "../definition/hooks.ts";
import { sign, signs } from "./sign.ts";

export const SIGNATURE_HEADER = "joeflow-signature";

export interface WebhookOptions {
  readonly url: string | URL;
  readonly secret: string;
  /** How long the receiver may take to answer; default 10 seconds. */
  readonly timeout?: Duration;
  /** Extra headers, e.g. an API key of the receiver. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A hook for any event kind (`on: { taskScheduled: hook, workflowDone: hook }`). */
export type WebhookHook = (event: HookEvent<unknown>, context: HookContext) => Promise<void>;

/** A hook that posts the event; any answer but 2xx fails it, and it is retried with backoff. */
export function webhook(options: WebhookOptions): WebhookHook {
  const timeoutMs = durationMs(options.timeout ?? "10 seconds");
  if (!options.secret) throw new TypeError("joeflow: webhook() needs a secret");
  return async (event, { signal }) => {
    const body = JSON.stringify(event);
    const signature = await signatureHeader(options.secret, body, Math.floor(Date.now() / 1000));
    const response = await fetch(options.url, {
      method: "POST",
      headers: {
        ...options.headers,
        "content-type": "application/json",
        [SIGNATURE_HEADER]: signature,
        "idempotency-key": event.idempotencyKey,
      },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      redirect: "error",
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`webhook ${String(options.url)} answered ${response.status}`);
  };
}

/** `t=<seconds>,v1=<hex>` for this body at this time. */
export async function signatureHeader(secret: string, body: string, timestamp: number): Promise<string> {
  return `t=${timestamp},v1=${await sign(secret, `${timestamp}.${body}`)}`;
}

export interface VerifyWebhookOptions {
  /** The request's body exactly as received (not parsed and serialized again). */
  readonly body: string;
  /** The `joeflow-signature` header; null or undefined when it was missing. */
  readonly signatureHeader: string | null | undefined;
  readonly secret: string;
  /** How old (or how far in the future) a timestamp may be; default 300 s. */
  readonly toleranceSeconds?: number;
  /** The time to check against, in ms; default now. */
  readonly now?: number;
}

export type WebhookVerification =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: "MalformedSignature" | "StaleTimestamp" | "BadSignature" };

/**
 * Checks a webhook request: `ok: true` when the secret signed this body at a time within the
 * tolerance; otherwise why not. Answer 401 to anything not ok, and parse the body only after.
 */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookVerification> {
  const match = /^t=(\d{1,15}),v1=([0-9a-f]{64})$/.exec(options.signatureHeader?.trim() ?? "");
  if (!match) return { ok: false, reason: "MalformedSignature" };
  const timestamp = Number(match[1]);
  const now = (options.now ?? Date.now()) / 1000;
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return { ok: false, reason: "StaleTimestamp" };
  if (!(await signs(options.secret, `${timestamp}.${options.body}`, match[2]!))) {
    return { ok: false, reason: "BadSignature" };
  }
  return { ok: true, timestamp };
}
