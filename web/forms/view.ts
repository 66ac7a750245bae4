/**
 * The data the `workflow/_field` partial renders, one field at a time, so a form template is a
 * loop: `<% for (const f of it.fields) { %><%~ include("workflow/_field", f) %><% } %>`.
 */
import type { DataIssue } from "joeflow";
import type { DirectoryUser } from "../auth.ts";
import type { FormField } from "./field-types.ts";
import { displayValues, type FieldErrors, fieldErrors } from "./values.ts";

/** What `workflow/_field.eta` expects as `it`. */
export interface FieldView {
  readonly field: FormField;
  /** The input's text, from `displayValues`. */
  readonly value: string;
  readonly errors: readonly string[];
  /** The directory for user fields; without it they are text inputs. */
  readonly users?: readonly DirectoryUser[];
}

/** One view per field, from the texts `displayValues` gave and the errors `fieldErrors` sorted. */
export function fieldViews(
  fields: readonly FormField[],
  values: Readonly<Record<string, string>>,
  errors?: FieldErrors,
  users?: readonly DirectoryUser[],
): FieldView[] {
  return fields.map((field) => ({
    field,
    value: Object.hasOwn(values, field.name) ? values[field.name]! : "",
    errors: errors && Object.hasOwn(errors.byField, field.name) ? errors.byField[field.name]! : [],
    ...(users ? { users } : {}),
  }));
}

/**
 * What a form template gets: the fields, the texts of their inputs, the errors (by field and general),
 * the directory, and `fieldViews`, one per field, for the `workflow/_field` partial.
 */
export function formView(
  fields: readonly FormField[],
  values: Readonly<Record<string, unknown>>,
  issues: readonly DataIssue[],
  users?: readonly DirectoryUser[],
): { values: Record<string, string>; errors: FieldErrors; users?: readonly DirectoryUser[]; fieldViews: FieldView[] } {
  const texts = displayValues(fields, values);
  const errors = fieldErrors(issues, fields);
  return { values: texts, errors, users, fieldViews: fieldViews(fields, texts, errors, users) };
}
