import type { z } from "zod";
import { type DataIssue, InvalidData } from "../errors.ts";
import { storableIssues } from "./storable.ts";

/**
 * The whole state, parsed by its schema and fit to be stored; InvalidData with zod's issues, or with
 * what the database or Temporal could not take, otherwise.
 */
export function validateState(schema: z.ZodObject, state: Record<string, unknown>): Record<string, unknown> {
  const unstorable = storableIssues(state);
  if (unstorable.length > 0) throw new InvalidData(unstorable);
  const parsed = schema.safeParse(state);
  if (!parsed.success) throw new InvalidData(parsed.error.issues.map(toIssue));
  const issues = storableIssues(parsed.data);
  if (issues.length > 0) throw new InvalidData(issues);
  return parsed.data as Record<string, unknown>;
}

export function toIssue(issue: z.core.$ZodIssue): DataIssue {
  return {
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: issue.message,
    code: issue.code,
  };
}

/**
 * The issues of fields a task must fill but left empty (missing, null, blank text or an empty list);
 * shared by the pages and the API through the completeTask message.
 */
export function requiredIssues(state: Readonly<Record<string, unknown>>, required: readonly string[]): DataIssue[] {
  const empty = (value: unknown) =>
    value === undefined ||
    value === null ||
    (typeof value === "string" && value.trim() === "") ||
    (Array.isArray(value) && value.length === 0);
  return required
    .filter((field) => empty(state[field]))
    .map((field) => ({ path: [field], message: "This field is required.", code: "required" }));
}

/** Only the given fields of submitted data: a form may change nothing else. */
export function pickFields(
  data: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => Object.hasOwn(data, f)).map((f) => [f, data[f]]));
}
