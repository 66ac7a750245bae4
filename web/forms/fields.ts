/**
 * Turns the state schema's fields into form field descriptors.
 *
 * We read zod's definitions (`_zod.def`), which both zod and zod/mini schemas carry, and ask
 * `z.toJSONSchema` for number and length bounds rather than folding zod's checks ourselves.
 * Wrappers (optional, default, nullable, readonly, catch, pipes) are peeled off to find the
 * input a person types; whether they must type it is zod's own answer (`_zod.optin`).
 */
import { z } from "zod";
import type { FieldCommon, FormField, NumberField, SelectOption, TextField } from "./field-types.ts";
import { nameSuggestsLongText, presentation, type Widget } from "./labels.ts";

type Schema = z.core.$ZodType;

/** The descriptors of `fields`, in that order. Throws on a name the schema lacks: a programming error. */
export function formFields(schema: z.ZodObject, fields: readonly string[]): FormField[] {
  // Forms are rendered on every request; the descriptors depend only on the schema.
  let bySchema = cache.get(schema);
  if (!bySchema) {
    bySchema = new Map();
    cache.set(schema, bySchema);
  }
  const key = JSON.stringify(fields);
  let described = bySchema.get(key);
  if (!described) {
    described = Object.freeze(fields.map((name) => Object.freeze(describeField(schema, name))));
    bySchema.set(key, described);
  }
  return [...described];
}

const cache = new WeakMap<z.ZodObject, Map<string, readonly FormField[]>>();

function describeField(schema: z.ZodObject, name: string): FormField {
  const fieldSchema: Schema | undefined = Object.hasOwn(schema.shape, name) ? schema.shape[name] : undefined;
  if (!fieldSchema) throw new Error(`The state has no field "${name}".`);
  const layers = unwrap(fieldSchema);
  const shown = presentation(name, layers.description, layers.meta);
  const common: FieldCommon = {
    name,
    label: shown.label,
    required: fieldSchema._zod.optin === undefined,
    nullable: layers.nullable,
    ...(shown.description === undefined ? {} : { description: shown.description }),
    ...(layers.hasDefault ? { defaultValue: layers.defaultValue } : {}),
  };
  return leafField(name, layers.leaf, common, shown.widget);
}

interface Layers {
  readonly leaf: Schema;
  readonly nullable: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly description: string | undefined;
  readonly meta: Readonly<Record<string, unknown>>;
}

/** Peels wrappers off, gathering what they add; the outermost description and metadata win. */
function unwrap(schema: Schema): Layers {
  let node = schema;
  let nullable = false;
  let hasDefault = false;
  let defaultValue: unknown;
  let description: string | undefined;
  let meta: Record<string, unknown> = {};
  for (let depth = 0; depth < 32; depth++) {
    const registered = z.globalRegistry.get(node);
    if (registered) {
      if (typeof registered.description === "string") description ??= registered.description;
      meta = { ...registered, ...meta };
    }
    const def = (node as z.core.$ZodTypes)._zod.def;
    if (def.type === "optional" || def.type === "nonoptional" || def.type === "readonly" || def.type === "catch") {
      node = def.innerType;
    } else if (def.type === "nullable") {
      nullable = true;
      node = def.innerType;
    } else if (def.type === "default" || def.type === "prefault") {
      if (!hasDefault) [hasDefault, defaultValue] = [true, def.defaultValue];
      node = def.innerType;
    } else if (def.type === "pipe") {
      // A transform's input is what the person types; z.preprocess pipes a transform into the schema.
      node = def.in._zod.def.type === "transform" ? def.out : def.in;
    } else if (def.type === "lazy") {
      node = def.getter();
    } else {
      break;
    }
  }
  return { leaf: node, nullable, hasDefault, defaultValue, description, meta };
}

function leafField(name: string, leaf: Schema, common: FieldCommon, widget: Widget | undefined): FormField {
  const def = (leaf as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case "string":
      return stringField(name, leaf, common, widget);
    case "number":
      return numberField(leaf, common);
    case "bigint":
      return { ...common, kind: "integer", valueType: "bigint", step: 1 };
    case "boolean":
      return { ...common, kind: "checkbox", required: false };
    case "date":
      return { ...common, kind: "datetime", valueType: "Date", local: false, precision: null, step: "any" };
    default: {
      const options = selectOptions(leaf);
      return options ? { ...common, kind: "select", options } : { ...common, kind: "json" };
    }
  }
}

/**
 * Strings: a widget marker wins (user picker, textarea); then the format (email, url, date,
 * datetime); then a plain string whose name's last word means long text (address, description,
 * note(s), comment(s), message, body) is a textarea; anything else is a text input.
 */
function stringField(name: string, leaf: Schema, common: FieldCommon, widget: Widget | undefined): FormField {
  const def = leaf._zod.def as z.core.$ZodStringFormatDef;
  const format = typeof def.format === "string" ? def.format : undefined;
  if (!widget && format === "date") return { ...common, kind: "date" };
  if (!widget && format === "datetime") {
    const iso = def as z.core.$ZodISODateTimeDef;
    return {
      ...common,
      kind: "datetime",
      valueType: "string",
      local: iso.local === true,
      precision: iso.precision ?? null,
      ...(iso.precision === -1 ? {} : { step: "any" as const }),
    };
  }
  const kind: TextField["kind"] =
    widget ??
    (format === "email"
      ? "email"
      : format === "url"
        ? "url"
        : !format && nameSuggestsLongText(name)
          ? "textarea"
          : "text");
  const bounds = jsonSchemaOf(leaf);
  return {
    ...common,
    kind,
    ...(typeof bounds.minLength === "number" ? { minLength: bounds.minLength } : {}),
    ...(typeof bounds.maxLength === "number" ? { maxLength: bounds.maxLength } : {}),
  };
}

function numberField(leaf: Schema, common: FieldCommon): NumberField {
  const json = jsonSchemaOf(leaf);
  const integer = json.type === "integer";
  const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
  // HTML has no exclusive bounds: the next integer is exact, for decimals the bound is close enough.
  const exclusiveMin = num(json.exclusiveMinimum);
  const exclusiveMax = num(json.exclusiveMaximum);
  const min = exclusiveMin === undefined ? num(json.minimum) : integer ? Math.floor(exclusiveMin) + 1 : exclusiveMin;
  const max = exclusiveMax === undefined ? num(json.maximum) : integer ? Math.ceil(exclusiveMax) - 1 : exclusiveMax;
  const step = num(json.multipleOf) ?? (integer ? 1 : "any");
  return {
    ...common,
    kind: integer ? "integer" : "number",
    valueType: "number",
    // z.int()'s safe-integer range says nothing a person needs to see.
    ...(min !== undefined && min > Number.MIN_SAFE_INTEGER ? { min } : {}),
    ...(max !== undefined && max < Number.MAX_SAFE_INTEGER ? { max } : {}),
    step,
  };
}

/** Options of an enum, a literal or a union of those; undefined for anything else. */
function selectOptions(schema: Schema): SelectOption[] | undefined {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  if (def.type === "enum") {
    const entries: Readonly<Record<string, string | number>> = def.entries;
    // Numeric TypeScript enums also map each value back to its name ({ 1: "Low", Low: 1 }): skip those keys.
    const numbers = new Set(Object.values(entries).filter((value) => typeof value === "number"));
    const named = Object.entries(entries).filter(([key]) => !numbers.has(Number(key)));
    return named.map(([key, value]) => option(value, key));
  }
  if (def.type === "literal") {
    const values = def.values;
    if (!values.every((value) => typeof value === "string" || typeof value === "number")) return undefined;
    return values.map((value) => option(value as string | number, String(value)));
  }
  if (def.type === "union") {
    const parts = def.options.map((part) => selectOptions(part));
    if (parts.some((part) => part === undefined)) return undefined;
    return parts.flatMap((part) => part!);
  }
  return undefined;
}

function option(raw: string | number, label: string): SelectOption {
  return { value: String(raw), label, raw };
}

/** The schema's JSON Schema, for its bounds; {} when zod cannot express it. */
function jsonSchemaOf(schema: Schema): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as Record<string, unknown>;
  } catch {
    return {};
  }
}
