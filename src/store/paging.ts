/** Pages of a list, newest first: the page size, the keyset cursor, and filters checked before they reach SQL. */
import { type RawBuilder, sql } from "kysely";
import { InvalidData } from "../errors.ts";
import { UUID_PATTERN } from "../ids.ts";
import type { Page } from "./views.ts";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidData([{ path: ["limit"], message: `must be an integer from 1 to ${MAX_LIMIT}` }]);
  }
  return limit;
}

/** Rows after the cursor, the (created, id) of the last row of the previous page; newest first. */
export function afterCursor(table: "joeflow_workflow" | "t", cursor: string | null | undefined): RawBuilder<boolean> {
  if (!cursor) return sql<boolean>`true`;
  const [created, id] = decodeCursor(cursor);
  return sql<boolean>`(${sql.ref(`${table}.created`)}, ${sql.ref(`${table}.id`)}) < (${created}, ${id})`;
}

export function page<T extends { created: Date; id: string }>(items: T[], more: boolean): Page<T> {
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor(last.created, last.id) : null };
}

function encodeCursor(created: Date, id: string): string {
  return btoa(JSON.stringify([created.toISOString(), id])).replaceAll("=", "");
}

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [created, id] = JSON.parse(atob(cursor)) as unknown[];
    // Only what encodeCursor writes: a time as toISOString gives it, of a year from 1 to 9999 (a
    // far-future "+099999-…" or a year 0 parses here but not in PostgreSQL), and a UUID.
    if (typeof created === "string" && typeof id === "string" && UUID_PATTERN.test(id)) {
      const date = new Date(created);
      if (/^(?!0000)\d{4}-/.test(created) && !Number.isNaN(date.getTime()) && date.toISOString() === created)
        return [date, id];
    }
  } catch {
    /* reported below */
  }
  throw new InvalidData([{ path: ["cursor"], message: "is not a cursor this list gave" }]);
}

/**
 * Filters the database could not even compare: text with a NUL character, which PostgreSQL refuses
 * (a 500 before), is InvalidData; an instance id that is no UUID is InvalidData too, as it can match nothing.
 */
export function checkFilters(filters: Readonly<Record<string, string | undefined>>): void {
  const issues = Object.entries(filters).flatMap(([key, value]) => {
    if (value === undefined) return [];
    if (value.includes("\u0000")) return [{ path: [key], message: "contains a NUL character" }];
    if (key === "workflowId" && !UUID_PATTERN.test(value)) return [{ path: [key], message: "is not an instance id" }];
    return [];
  });
  if (issues.length > 0) throw new InvalidData(issues);
}
