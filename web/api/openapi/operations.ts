/**
 * What every path of the OpenAPI description is made of: an operation with its answers, the error
 * answers it may give, JSON bodies, and the shared parameters.
 */
import type { JsonObject } from "../openapi-schemas.ts";

/** An error answer of the API, by its component name under `#/components/responses`. */
export type ErrorAnswer =
  | "MalformedJson"
  | "SignInRequired"
  | "Forbidden"
  | "NotFound"
  | "Conflict"
  | "PayloadTooLarge"
  | "UnsupportedMediaType"
  | "InvalidData";

const STATUS: Record<ErrorAnswer, string> = {
  MalformedJson: "400",
  SignInRequired: "401",
  Forbidden: "403",
  NotFound: "404",
  Conflict: "409",
  PayloadTooLarge: "413",
  UnsupportedMediaType: "415",
  InvalidData: "422",
};

/** What a read may answer besides success. */
export const READ: readonly ErrorAnswer[] = ["SignInRequired", "Forbidden", "NotFound"];
/** What a write may answer besides success. */
export const WRITE: readonly ErrorAnswer[] = [
  ...READ,
  "MalformedJson",
  "PayloadTooLarge",
  "UnsupportedMediaType",
  "InvalidData",
];

export function operation(
  operationId: string,
  summary: string,
  responses: JsonObject,
  errors: readonly ErrorAnswer[],
  requestBody?: JsonObject,
): JsonObject {
  const answers: JsonObject = { ...responses };
  for (const error of errors) answers[STATUS[error]] = { $ref: `#/components/responses/${error}` };
  return { operationId, summary, ...(requestBody ? { requestBody } : {}), responses: answers };
}

export const json = (schema: JsonObject): JsonObject => ({ "application/json": { schema } });
export const ok = (schema: JsonObject): JsonObject => ({ "200": { description: "OK", content: json(schema) } });
export const body = (schema: JsonObject, required: boolean): JsonObject => ({ required, content: json(schema) });

/** A `$ref` to a shared parameter. */
export const parameter = (name: string): JsonObject => ({ $ref: `#/components/parameters/${name}` });

/** The parameters several paths share, as `#/components/parameters`. */
export function parameters(): Record<string, JsonObject> {
  return {
    WorkflowId: { name: "workflowId", in: "path", required: true, schema: { type: "string", format: "uuid" } },
    TaskId: { name: "taskId", in: "path", required: true, schema: { type: "string", format: "uuid" } },
    WorkflowStatus: { name: "status", in: "query", required: false, schema: { enum: ["running", "done", "canceled"] } },
    Cursor: {
      name: "cursor",
      in: "query",
      required: false,
      description: "The `nextCursor` of the previous page.",
      schema: { type: "string" },
    },
    Limit: {
      name: "limit",
      in: "query",
      required: false,
      schema: { type: "integer", minimum: 1, maximum: 500, default: 50 },
    },
  };
}
