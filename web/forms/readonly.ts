/**
 * State fields shown, not edited: the case a task form decides. Each value reads as its input would
 * show it (a date as a date, an enum by its label, a person by their name in the directory), plus
 * what an input cannot: "yes"/"no" for a checkbox, "—" for nothing, objects as indented JSON.
 */
import type { DirectoryUser } from "../auth.ts";
import type { FormField } from "./field-types.ts";
import { displayValues } from "./values.ts";

export interface ReadOnlyView {
  readonly name: string;
  readonly label: string;
  readonly text: string;
  /** Multi-line text (JSON, a textarea's): shown in a <pre>. */
  readonly block: boolean;
  /** A moment, for a <time datetime> the page's script shows in the reader's zone. */
  readonly datetime?: string;
}

export function readOnlyViews(
  fields: readonly FormField[],
  values: Readonly<Record<string, unknown>>,
  users?: readonly DirectoryUser[],
): ReadOnlyView[] {
  const texts = displayValues(fields, values);
  return fields.map((field) => {
    const raw = texts[field.name] ?? "";
    const value = values[field.name];
    const common = { name: field.name, label: field.label, block: field.kind === "json" || raw.includes("\n") };
    if (field.kind === "checkbox") return { ...common, text: raw === "true" ? "yes" : "no" };
    if (raw === "") return { ...common, text: "—" };
    if (field.kind === "select") return { ...common, text: field.options.find((o) => o.value === raw)?.label ?? raw };
    if (field.kind === "user") return { ...common, text: users?.find((u) => u.id === raw)?.name ?? raw };
    if (field.kind === "datetime" && !field.local) {
      const date = value instanceof Date ? value : new Date(String(value));
      if (!Number.isNaN(date.getTime())) {
        const text = `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;
        return { ...common, text, datetime: date.toISOString() };
      }
    }
    return { ...common, text: raw };
  });
}
