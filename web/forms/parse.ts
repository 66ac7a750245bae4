/**
 * Reads a submitted form into the values the state schema expects. It only converts; zod
 * validates. Text that cannot be converted (letters in a number, broken JSON) is passed on
 * unchanged so that zod's error names the real problem ("expected number, received string").
 */
import { fromDateTimeInput } from "./datetimes.ts";
import type { FormField, SelectField } from "./field-types.ts";

/** A form body as Hono's `c.req.parseBody({ all: true })` gives it. */
export type FormBody = Record<string, string | File | (string | File)[]>;

/**
 * The listed fields' values, ready for `schema.safeParse` (merged into the state as needed).
 * A field left empty is omitted when it is optional or has a default, null when it is nullable,
 * "" when it is required text and omitted otherwise (zod then says it is required).
 * A checkbox is true when sent with any value but "false", false when not sent.
 */
export function parseForm(fields: readonly FormField[], body: FormBody): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  for (const field of fields) {
    const sent = submitted(body, field.name);
    if (field.kind === "checkbox") {
      entries.push([field.name, sent.some((text) => text !== "false")]);
      continue;
    }
    const raw = sent[0] ?? "";
    // Surrounding spaces are trimmed, as Django's forms do; browsers send textarea lines with CRLF.
    const text = raw.replace(/\r\n?/g, "\n").trim();
    if (text === "") {
      const empty = emptyValue(field);
      if (empty !== OMIT) entries.push([field.name, empty]);
      continue;
    }
    entries.push([field.name, convert(field, text)]);
  }
  // fromEntries defines own properties, so a field named like "__proto__" cannot touch the prototype.
  return Object.fromEntries(entries);
}

const TEXT_KINDS = new Set<FormField["kind"]>(["text", "textarea", "email", "url", "user"]);
const OMIT = Symbol("omit");

function emptyValue(field: FormField): unknown {
  if (!field.required) return OMIT;
  if (field.nullable) return null;
  return TEXT_KINDS.has(field.kind) ? "" : OMIT;
}

/** The strings sent under `name`; files are not field values and are ignored. */
function submitted(body: FormBody, name: string): string[] {
  if (!Object.hasOwn(body, name)) return [];
  const value = body[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === "string");
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const WHOLE = /^[+-]?\d+$/;

function convert(field: Exclude<FormField, { kind: "checkbox" }>, text: string): unknown {
  switch (field.kind) {
    case "number":
    case "integer":
      if (field.valueType === "bigint") return WHOLE.test(text) ? BigInt(text) : text;
      // Number() also reads "0x1f" and "Infinity"; only plain decimals are numbers here.
      return DECIMAL.test(text) ? Number(text) : text;
    case "select":
      return selected(field, text);
    case "json":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    case "datetime":
      return fromDateTimeInput(text, field);
    case "date":
    case "text":
    case "textarea":
    case "email":
    case "url":
    case "user":
      return text;
  }
}

/** The schema's value of the chosen option (a number for numeric enums), or the text if none matches. */
function selected(field: SelectField, text: string): string | number {
  return field.options.find((option) => option.value === text)?.raw ?? text;
}
