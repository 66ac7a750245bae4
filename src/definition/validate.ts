import type { z } from "zod";
import { type DataIssue, InvalidData } from "../errors.ts";

/** The whole state, parsed by its schema; InvalidData with zod's issues otherwise. */
export function validateState(schema: z.ZodObject, state: Record<string, unknown>): Record<string, unknown> {
  const parsed = schema.safeParse(state);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  throw new InvalidData(parsed.error.issues.map(toIssue));
}

export function toIssue(issue: z.core.$ZodIssue): DataIssue {
  return {
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: issue.message,
    code: issue.code,
  };
}

/** Only the given fields of submitted data: a form may change nothing else. */
export function pickFields(
  data: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => Object.hasOwn(data, f)).map((f) => [f, data[f]]));
}
