/**
 * An instance's title, as joeflow's `__str__`: the definition's `title(state)`, else the workflow's label
 * and a short id. Stored with each state change so lists can show and search it.
 */

import { type CompiledGraph, taskOf } from "../graph/types.ts";

/** Titles longer than this are cut (with "…"): a list line, not a document. */
export const TITLE_MAX = 200;

/**
 * The part of an id people tell apart: the last 8 hex digits. A UUIDv7 starts with its millisecond,
 * the same for every instance made in one; its tail is random.
 */
export function shortId(id: string): string {
  return id.replaceAll("-", "").slice(-8);
}

/** "shipping" → "Shipping", "sendTrackingCode" → "Send tracking code", "send_mail" → "Send mail". */
export function labelOf(name: string): string {
  const words = name
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A task's label: the definition's `label`, else one from its name ("ship" → "Ship"). */
export function taskLabel(graph: CompiledGraph, name: string): string {
  const task = taskOf(graph, name);
  return (task && "label" in task && task.label) || labelOf(name);
}

/** What a title needs of a definition: its name and, optionally, its `title` function. */
export interface Titled {
  readonly name: string;
  readonly title?: (state: Record<string, unknown>) => unknown;
}

/**
 * The instance's title. A `title` that throws, or gives no text, must not break the workflow: the
 * instance then gets the default title, "<Workflow label> <short id>". Whitespace runs become one space.
 */
export function instanceTitle(
  definition: Titled | undefined,
  instance: { id: string; name: string; state: Record<string, unknown> },
): string {
  let given: unknown;
  try {
    given = definition?.title?.(instance.state);
  } catch {
    given = undefined;
  }
  // PostgreSQL's text takes no NUL character; cut by code points, never inside a surrogate pair.
  const text = typeof given === "string" ? given.replaceAll("\u0000", "").replace(/\s+/g, " ").trim() : "";
  if (!text) return `${labelOf(instance.name)} ${shortId(instance.id)}`;
  const points = [...text];
  return points.length > TITLE_MAX ? `${points.slice(0, TITLE_MAX - 1).join("")}…` : text;
}
