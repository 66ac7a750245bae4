/**
 * What PostgreSQL's jsonb and Temporal's payloads can carry, checked before anything is sent or
 * written: a string with a NUL character or a lone surrogate passes a zod schema and then fails in
 * the database; a state too large or too deep fails in Temporal's converter. Both used to hang a start
 * or a completion while its activity retried. Pure code.
 */
import type { DataIssue } from "../errors.ts";

/** The most JSON a state, or a message's data, may have: Temporal refuses payloads of 2 MB. */
export const MAX_JSON_BYTES = 512 * 1024;
/** The deepest a state may nest objects and arrays. */
export const MAX_DEPTH = 64;

// A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The problems that would keep `value` out of the database or out of Temporal; empty when none. */
export function storableIssues(value: unknown): DataIssue[] {
  const issues: DataIssue[] = [];
  // Iteratively, depth first: a value nested 10,000 deep must not overflow the stack here.
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && issues.length < 20) {
    const { value: item, path } = stack.pop()!;
    if (path.length > MAX_DEPTH) {
      issues.push({ path: path.slice(0, 1), message: `nests deeper than ${MAX_DEPTH} levels`, code: "too_deep" });
      break;
    }
    if (typeof item === "string") {
      if (UNSTORABLE.test(item)) issues.push(unstorable(path));
    } else if (Array.isArray(item)) {
      for (const [i, element] of item.entries()) stack.push({ value: element, path: [...path, i] });
    } else if (item && typeof item === "object" && !(item instanceof Date)) {
      for (const [key, element] of Object.entries(item)) {
        if (UNSTORABLE.test(key)) issues.push(unstorable([...path, key]));
        stack.push({ value: element, path: [...path, key] });
      }
    }
  }
  if (issues.length === 0) {
    let json: string;
    try {
      json = JSON.stringify(value) ?? "";
    } catch (error) {
      // A BigInt, or a cycle: no JSON at all.
      return [{ path: [], message: `is not JSON: ${(error as Error).message}`, code: "not_json" }];
    }
    const bytes = new TextEncoder().encode(json).length;
    if (bytes > MAX_JSON_BYTES) {
      issues.push({ path: [], message: `is ${bytes} bytes of JSON; at most ${MAX_JSON_BYTES}`, code: "too_big" });
    }
  }
  return issues;
}

function unstorable(path: (string | number)[]): DataIssue {
  return {
    path,
    message: "contains a NUL character or a broken surrogate, which cannot be stored",
    code: "unstorable",
  };
}
