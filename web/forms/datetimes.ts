/**
 * Between a datetime-local input ("2024-05-01T09:30", no time zone) and the state's value
 * (an ISO string with "Z", a local ISO string, or a Date). Without a zone to go by we treat the
 * input as UTC, unless the schema itself accepts local times; a page can say so next to the field.
 */
import type { DateTimeField } from "./field-types.ts";

const INPUT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;
const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/** What the schema expects from what the browser sent; text it cannot read stays as is, for zod to report. */
export function fromDateTimeInput(text: string, field: DateTimeField): string | Date {
  const match = INPUT.exec(text);
  if (field.valueType === "Date") {
    const date = match
      ? new Date(
          `${match[1]}T${match[2]}:${match[3]}:${match[4] ?? "00"}.${(match[5] ?? "").padEnd(3, "0").slice(0, 3)}Z`,
        )
      : new Date(text);
    return Number.isNaN(date.getTime()) ? text : date;
  }
  if (!match) return text;
  const [, day, hours, minutes, seconds = "00", fraction = ""] = match;
  let time = `${hours}:${minutes}`;
  // The schema's precision decides the shape: minutes only, whole seconds, or n digits after them.
  if (field.precision === null) time += `:${seconds}${fraction ? `.${fraction}` : ""}`;
  else if (field.precision === 0) time += `:${seconds}`;
  else if (field.precision > 0)
    time += `:${seconds}.${fraction.padEnd(field.precision, "0").slice(0, field.precision)}`;
  return `${day}T${time}${field.local ? "" : "Z"}`;
}

/** What a datetime-local input shows for a state value; "" for nothing, unreadable text as is. */
export function toDateTimeInput(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : inputTime(value);
  if (typeof value !== "string") return value === undefined || value === null ? "" : String(value);
  const match = ISO.exec(value);
  if (!match) return value;
  const [, day, time, zone] = match;
  if (zone && zone.toUpperCase() !== "Z") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : inputTime(date);
  }
  // The browser takes at most milliseconds.
  return `${day}T${time!.replace(/(\.\d{3})\d+$/, "$1")}`;
}

/** A Date as a UTC datetime-local value, as short as it can be without losing anything. */
function inputTime(date: Date): string {
  return date
    .toISOString()
    .slice(0, -1)
    .replace(/\.000$/, "")
    .replace(/T(\d{2}:\d{2}):00$/, "T$1");
}
