/**
 * What a form knows about one state field: enough to render an input, read it back and
 * show errors beside it. Plain data (no zod inside), so templates and tests can use it as is.
 */

/** Every kind of input a state field can become. */
export type FieldKind = FormField["kind"];

/** What all fields share. */
export interface FieldCommon {
  /** The state key; also the input's `name`. */
  readonly name: string;
  readonly label: string;
  /** The person must fill it in: not optional and no default. Checkboxes never are. */
  readonly required: boolean;
  /** An empty input means null (for a required field that accepts null). */
  readonly nullable: boolean;
  /** Help text shown under the label. */
  readonly description?: string;
  /** The schema's default, shown when the state has no value yet. */
  readonly defaultValue?: unknown;
}

/** Free text, or a person from the directory ("user"; a text input when there is no directory). */
export interface TextField extends FieldCommon {
  readonly kind: "text" | "textarea" | "email" | "url" | "user";
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface NumberField extends FieldCommon {
  readonly kind: "number" | "integer";
  /** What the state holds: a JavaScript number, or a bigint for `z.bigint()`. */
  readonly valueType: "number" | "bigint";
  readonly min?: number;
  readonly max?: number;
  /** "any" lets decimals through the browser's own check; integers step by 1. */
  readonly step?: number | "any";
}

export interface CheckboxField extends FieldCommon {
  readonly kind: "checkbox";
  readonly required: false;
}

/** A calendar day, `z.iso.date()`: "YYYY-MM-DD" in and out. */
export interface DateField extends FieldCommon {
  readonly kind: "date";
}

/**
 * A moment: `z.iso.datetime()` (a string) or `z.date()` (a Date). The browser's datetime-local
 * input has no time zone; unless the schema accepts local times we read and show it as UTC.
 */
export interface DateTimeField extends FieldCommon {
  readonly kind: "datetime";
  readonly valueType: "string" | "Date";
  /** The schema accepts a time without zone (`z.iso.datetime({ local: true })`). */
  readonly local: boolean;
  /** Digits after the seconds the schema demands; -1 for minutes only; null for any. */
  readonly precision: number | null;
  readonly step?: number | "any";
}

export interface SelectOption {
  /** What the `<option>` submits. */
  readonly value: string;
  readonly label: string;
  /** The schema's own value, a number for numeric enums. */
  readonly raw: string | number;
}

/** An enum, a literal or a union of literals. */
export interface SelectField extends FieldCommon {
  readonly kind: "select";
  readonly options: readonly SelectOption[];
}

/** Anything else (objects, arrays, unions...) as JSON text, so no field is impossible to edit. */
export interface JsonField extends FieldCommon {
  readonly kind: "json";
}

export type FormField = TextField | NumberField | CheckboxField | DateField | DateTimeField | SelectField | JsonField;
