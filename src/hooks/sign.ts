/**
 * HMAC-SHA256 with WebCrypto, which Node and Deno both have: signing and constant-time checking for
 * webhooks and task links.
 */
const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  if (!secret) throw new TypeError("joeflow: a signing secret must not be empty");
  return await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

/** The signature of `text`, as lower-case hex. */
export async function sign(secret: string, text: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(text));
  return [...new Uint8Array(signature)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Whether `signature` (hex) signs `text`. WebCrypto's verify compares in constant time, so the time
 * it takes tells an attacker nothing about how much of a forged signature was right.
 */
export async function signs(secret: string, text: string, signature: string): Promise<boolean> {
  if (!HEX_SHA256.test(signature)) return false;
  const bytes = new Uint8Array(signature.match(/../g)!.map((pair) => Number.parseInt(pair, 16)));
  return await crypto.subtle.verify("HMAC", await hmacKey(secret), bytes, encoder.encode(text));
}
