/**
 * One error style for pages and API: handlers throw a JoeflowError (bad input, from the library) or a
 * WebError (the web app's own: not signed in, not allowed, not found, a body it cannot read), and one
 * onError answers either as a page or as JSON `{ error: { code, message, issues? } }`.
 */
import { type DataIssue, type ErrorCode, JoeflowError } from "joeflow";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Codes of the web app's own errors, beside joeflow's (InvalidData, UnknownTask, ...). */
export type WebErrorCode =
  | "MalformedJson"
  | "MalformedBody"
  | "UnsupportedMediaType"
  | "PayloadTooLarge"
  | "SignInRequired"
  | "Forbidden"
  | "CsrfFailed"
  | "LinkRefused"
  | "NotFound"
  | "MethodNotAllowed"
  | "Busy"
  | "InternalError";

export type ErrorBodyCode = ErrorCode | WebErrorCode;

export const WEB_ERROR_CODES: readonly WebErrorCode[] = [
  "MalformedJson",
  "MalformedBody",
  "UnsupportedMediaType",
  "PayloadTooLarge",
  "SignInRequired",
  "Forbidden",
  "CsrfFailed",
  "LinkRefused",
  "NotFound",
  "MethodNotAllowed",
  "Busy",
  "InternalError",
];

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorBodyCode;
    readonly message: string;
    readonly issues?: readonly DataIssue[];
  };
}

/**
 * An error of the web app itself, with its status and code (its own, or a joeflow error's that a page
 * answers with a link onwards: `back`).
 */
export class WebError extends HTTPException {
  readonly code: ErrorBodyCode;
  readonly headers: Readonly<Record<string, string>>;
  readonly back?: string;
  constructor(
    status: ContentfulStatusCode,
    code: ErrorBodyCode,
    message: string,
    options: { headers?: Record<string, string>; back?: string } = {},
  ) {
    super(status, { message });
    this.code = code;
    this.headers = options.headers ?? {};
    this.back = options.back;
  }
}

export const notFound = (message: string, back?: string): WebError => new WebError(404, "NotFound", message, { back });

/** What nobody (401) or somebody (403) gets when they may not do something. */
export function notAllowed(user: string | null, message: string): WebError {
  return user === null ? new WebError(401, "SignInRequired", message) : new WebError(403, "Forbidden", message);
}

/** Everything onError needs to answer an error, whatever threw it. */
export interface Problem {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorBodyCode;
  readonly message: string;
  readonly issues?: readonly DataIssue[];
  readonly headers: Readonly<Record<string, string>>;
  readonly back?: string;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof WebError) {
    return {
      status: error.status as ContentfulStatusCode,
      code: error.code,
      message: error.message,
      headers: error.headers,
      back: error.back,
    };
  }
  if (error instanceof JoeflowError && error.data.code === "NotAssignee" && error.data.user === null) {
    return {
      status: 401,
      code: "SignInRequired",
      message: "Sign in first: this task is assigned to someone.",
      headers: {},
    };
  }
  if (error instanceof JoeflowError) {
    const issues = error.data.code === "InvalidData" ? { issues: error.data.issues } : {};
    return { status: statusOf(error), code: error.code, message: error.message, headers: {}, ...issues };
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return { status, code: status === 413 ? "PayloadTooLarge" : "MalformedBody", message: error.message, headers: {} };
  }
  return { status: 500, code: "InternalError", message: "Internal server error", headers: {} };
}

/** The HTTP status that tells a client what went wrong with a joeflow error. */
export function statusOf(error: JoeflowError): ContentfulStatusCode {
  switch (error.data.code) {
    case "InvalidData":
      return 422;
    case "UnknownWorkflow":
    case "UnknownTask":
      return 404;
    case "NotAssignee":
      // Somebody not signed in may be the assignee: they are asked to sign in first.
      return error.data.user === null ? 401 : 403;
    case "TaskNotOpen":
    case "TaskClaimed":
    case "NotClaimed":
    case "WorkflowNotRunning":
    case "ObsoleteTask":
    case "NotHumanTask":
      return 409;
    case "SubflowNotServed":
      // A worker's set-up, never a request's: no request can cause it.
      return 500;
  }
}
