/**
 * Labels and hints from field names and descriptions.
 *
 * The rules, so a developer can predict what a form shows:
 * - A description may start with a widget marker: `user` or `textarea`, alone or followed by
 *   `:` and text ("user", "textarea: Notes for the courier"). Metadata can say the same:
 *   `.meta({ widget: "user" })`, `.meta({ widget: "textarea" })`.
 * - `.meta({ title })` is the label; the description, if any, is then the hint under it.
 * - Otherwise a description that reads like a label (one line, at most 60 characters, not ending
 *   in a full stop) is the label; a longer one, or a sentence, is the hint and the label comes
 *   from the name: "shippingAddress" → "Shipping address".
 */

export type Widget = "user" | "textarea";

/** What a field's description and metadata say about its presentation. */
export interface Presentation {
  readonly widget?: Widget;
  readonly label: string;
  readonly description?: string;
}

const MARKER = /^(user|textarea)\s*(?::\s*([\s\S]*))?$/i;
const LABEL_MAX = 60;

/**
 * Reads the widget marker, label and hint of a field.
 * `description` and `meta` come from the outermost schema layer that sets them.
 */
export function presentation(
  name: string,
  description: string | undefined,
  meta: { readonly title?: unknown; readonly widget?: unknown },
): Presentation {
  let widget: Widget | undefined = meta.widget === "user" || meta.widget === "textarea" ? meta.widget : undefined;
  let text = description?.trim() ?? "";
  const marker = MARKER.exec(text);
  if (marker) {
    widget ??= marker[1]!.toLowerCase() as Widget;
    text = marker[2]?.trim() ?? "";
  }
  const title = typeof meta.title === "string" && meta.title.trim() ? meta.title.trim() : undefined;
  const hint = text || undefined;
  const base = widget ? { widget } : {};
  if (title) return { ...base, label: title, ...(hint ? { description: hint } : {}) };
  if (hint && readsLikeLabel(hint)) return { ...base, label: hint };
  return { ...base, label: humanize(name), ...(hint ? { description: hint } : {}) };
}

function readsLikeLabel(text: string): boolean {
  return text.length <= LABEL_MAX && !/[\r\n]/.test(text) && !text.endsWith(".");
}

/** "shippingAddress" → "Shipping address", "order_id" → "Order id", "URLPath" → "URL path". */
export function humanize(name: string): string {
  const words = name
    .replace(/[_\-\s]+/g, " ")
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-zA-Z])(\d)/g, "$1 $2")
    .trim()
    .split(" ")
    .filter(Boolean)
    // Acronyms stay as written; other words go lower case, as in a sentence.
    .map((word) => (word.length > 1 && word === word.toUpperCase() ? word : word.toLowerCase()));
  const sentence = words.join(" ");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) || name;
}

// The last word of a plain string field's name that makes it a textarea, e.g. shippingAddress, notes.
const LONG_TEXT_WORDS = new Set(["address", "description", "note", "notes", "comment", "comments", "message", "body"]);

/** Whether a plain string field's name suggests more than one line of text. */
export function nameSuggestsLongText(name: string): boolean {
  const last = humanize(name).split(" ").at(-1)?.toLowerCase();
  return last !== undefined && LONG_TEXT_WORDS.has(last);
}
