/**
 * The data the `workflow/_field` partial renders, one field at a time, so a form template is a
 * loop: `<% for (const f of it.fields) { %><%~ include("workflow/_field", f) %><% } %>`.
 */
import type { DirectoryUser } from "../auth.ts";
import type { FormField } from "./field-types.ts";
import type { FieldErrors } from "./values.ts";

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
