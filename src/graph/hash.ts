/**
 * A small deterministic 128-bit hash (two FNV-1a 64-bit lanes). Pure code: it runs in the workflow
 * sandbox, in activities, and on Deno. Not cryptographic; used for graph versions and derived ids.
 */

const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

function fnv1a64(text: string, seed: bigint): bigint {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * FNV_PRIME) & MASK;
  }
  return hash;
}

export function hash128(text: string): string {
  const a = fnv1a64(text, 0xcbf29ce484222325n);
  const b = fnv1a64(text, 0x84222325cbf29ce4n ^ a);
  return a.toString(16).padStart(16, "0") + b.toString(16).padStart(16, "0");
}

/** A UUID-shaped id (version 8, "custom") derived from the given parts. */
export function derivedId(...parts: string[]): string {
  const hex = hash128(parts.join("\u0000"));
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return (
    `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-` +
    `${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  );
}
