/**
 * Reading requests: JSON bodies only (415 otherwise, so a cross-site form can never reach an action),
 * malformed JSON is a 400, a body or query of the wrong shape a 422 naming the fields.
 */
import type { Context } from "hono";
import { INBOX_SCOPES, InvalidData, toIssue } from "joeflow";
import { z } from "zod";
import { WebError } from "../errors.ts";

/** Parses the request's JSON body with the schema; an empty body counts as `{}`. */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  if (!isJsonType(c.req.header("content-type"))) {
    throw new WebError(
      415,
      "UnsupportedMediaType",
      'The body must be JSON, sent with "content-type: application/json".',
    );
  }
  const text = await c.req.text();
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new WebError(400, "MalformedJson", "The body is not valid JSON.");
    }
  }
  return parseWith(schema, body);
}

/** Parses the query string with the schema. */
export function readQuery<T>(c: Context, schema: z.ZodType<T>): T {
  return parseWith(schema, c.req.query());
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidData(parsed.error.issues.map(toIssue));
  return parsed.data;
}

function isJsonType(header: string | undefined): boolean {
  const media = (header ?? "").split(";")[0]!.trim().toLowerCase();
  return media === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(media);
}

const stateObject = z.record(z.string(), z.unknown());

export const startBody = z.strictObject({
  /** The start view to start from; may be left out when the workflow has only one. */
  task: z.string().optional(),
  state: stateObject.default({}),
});

/** A query parameter given as `?x=` counts as left out. */
const param = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const limit = param(z.coerce.number().int().min(1).max(500));
const cursor = param(z.string());

export const WORKFLOW_STATUSES = ["running", "done", "canceled"] as const;
export const TASK_STATUSES = ["scheduled", "succeeded", "failed", "canceled"] as const;

export const instancesQuery = z.object({ status: param(z.enum(WORKFLOW_STATUSES)), cursor, limit });

export const tasksQuery = z.object({
  status: param(z.enum(TASK_STATUSES)),
  /** A task name, e.g. "ship". */
  name: param(z.string()),
  workflowId: param(z.string()),
  assignee: param(z.string()),
  unassigned: param(z.enum(["true", "false"]).transform((v) => v === "true")),
  type: param(z.enum(["human", "machine"])),
  cursor,
  limit,
});

export const inboxQuery = z.object({
  scope: param(z.enum(INBOX_SCOPES)),
  /** A workflow's name, e.g. "shipping". */
  workflow: param(z.string()),
  /** A task name, e.g. "ship". */
  task: param(z.string()),
  search: param(z.string().max(200)),
  cursor,
  limit,
});
