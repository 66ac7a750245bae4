/**
 * Every answer of the JSON API that is not a success: `{ "error": { "code", "message", "issues"? } }`
 * with the HTTP status that says what went wrong.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type DataIssue, type ErrorCode, InvalidData, UnknownTask } from "joeflow";
import { isJoeflowError, statusOf } from "../errors.ts";

/** Codes of errors the API raises itself, beside joeflow's own (InvalidData, UnknownTask, ...). */
export type ApiErrorCode =
  | "MalformedJson"
  | "UnsupportedMediaType"
  | "PayloadTooLarge"
  | "SignInRequired"
  | "Forbidden"
  | "NotFound"
  | "MethodNotAllowed"
  | "NotHumanTask"
  | "InternalError";

export type ErrorBodyCode = ErrorCode | ApiErrorCode;

export const ERROR_CODES: readonly ErrorBodyCode[] = [
  "InvalidData", "UnknownWorkflow", "UnknownTask", "NotAssignee", "TaskNotOpen", "ObsoleteTask",
  "MalformedJson", "UnsupportedMediaType", "PayloadTooLarge", "SignInRequired", "Forbidden", "NotFound",
  "MethodNotAllowed", "NotHumanTask", "InternalError",
];

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorBodyCode;
    readonly message: string;
    readonly issues?: readonly DataIssue[];
  };
}

/** An error of the API itself, thrown by a route and answered by `apiErrorResponse`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (message: string) => new ApiError(404, "NotFound", message);

/** What nobody (401) or somebody (403) gets when they may not do something. */
export function notAllowed(user: string | null, message: string): ApiError {
  return user === null ? new ApiError(401, "SignInRequired", `Sign in first: ${message}`) : new ApiError(403, "Forbidden", message);
}

/** A problem with one field of the request body or query, as a 422 with its path. */
export function invalidField(path: string, message: string): InvalidData {
  return new InvalidData([{ path: [path], message }]);
}

/**
 * A chosen next task that is not one (not an outgoing edge, not a task of the workflow) is bad input
 * in the body, not a missing resource: 422 on `next`.
 */
export function nextProblem(error: unknown): unknown {
  return error instanceof UnknownTask ? invalidField("next", error.message) : error;
}

/** The JSON answer to any error thrown while serving the API. */
export function apiErrorResponse(error: Error, c: Context): Response {
  if (error instanceof ApiError) return send(c, error.status, { error: { code: error.code, message: error.message } }, error.headers);
  if (error instanceof InvalidData) {
    return send(c, 422, { error: { code: error.code, message: error.message, issues: error.issues } });
  }
  if (isJoeflowError(error)) return send(c, statusOf(error), { error: { code: error.code, message: error.message } });
  console.error(error);
  return send(c, 500, { error: { code: "InternalError", message: "Internal server error" } });
}

function send(c: Context, status: ContentfulStatusCode, body: ErrorBody, headers: Readonly<Record<string, string>> = {}): Response {
  return c.json(body, status, { ...headers });
}
