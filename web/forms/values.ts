/**
 * The way back from values to a form: what each input shows, and which errors go beside it.
 */
import type { DataIssue } from "joeflow";
import { toDateTimeInput } from "./datetimes.ts";
import type { FormField } from "./field-types.ts";

/**
 * The text each input shows, by field name: the current state, or after a failed POST the values
 * `parseForm` read (text it could not convert is shown as typed). A field without a value shows
 * its default; a checkbox shows "true" or "false".
 */
export function displayValues(
  fields: readonly FormField[],
  values: Readonly<Record<string, unknown>>,
): Record<string, string> {
  return Object.fromEntries(
    fields.map((field) => {
      const value = Object.hasOwn(values, field.name) ? values[field.name] : field.defaultValue;
      return [field.name, display(field, value)];
    }),
  );
}

function display(field: FormField, value: unknown): string {
  if (field.kind === "checkbox") return value === true || value === "true" ? "true" : "false";
  if (value === undefined || value === null) return "";
  switch (field.kind) {
    case "datetime":
      return toDateTimeInput(value);
    case "date":
      return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : String(value);
    case "json":
      // A string here is text that was not JSON: show it as typed.
      return typeof value === "string" ? value : json(value);
    default:
      return typeof value === "object" ? json(value) : String(value);
  }
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item), 2) ?? "";
  } catch {
    return String(value); // cycles
  }
}

/** Error messages for the form: by field name (only fields with errors), and the rest. */
export interface FieldErrors {
  readonly byField: Record<string, string[]>;
  readonly general: string[];
}

/**
 * Sorts zod's issues: one whose path starts at a form field goes beside it (a deeper path, inside
 * a JSON field, is named in the message); any other, say a required state field this form does
 * not show, is general and names its path.
 */
/** zod's words for a missing value, in the words a form uses. */
function friendly(issue: DataIssue): string {
  const missing =
    (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) ||
    (issue.code === "too_small" && /expected string to have >=1 characters$/.test(issue.message));
  return missing ? "This field is required." : issue.message;
}

export function fieldErrors(issues: readonly DataIssue[], fields: readonly FormField[]): FieldErrors {
  const names = new Set(fields.map((field) => field.name));
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  const add = (list: string[], message: string) => {
    if (!list.includes(message)) list.push(message);
  };
  for (const issue of issues) {
    const [first, ...rest] = issue.path;
    if (typeof first === "string" && names.has(first)) {
      if (!Object.hasOwn(byField, first))
        Object.defineProperty(byField, first, { value: [], enumerable: true, writable: true });
      add(byField[first]!, rest.length ? `${rest.join(".")}: ${issue.message}` : friendly(issue));
    } else {
      add(general, issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message);
    }
  }
  return { byField, general };
}
