import { JoeflowError } from "joeflow";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The HTTP status that tells a client what went wrong with a joeflow error. */
export function statusOf(error: JoeflowError): ContentfulStatusCode {
  switch (error.code) {
    case "InvalidData": return 422;
    case "UnknownWorkflow":
    case "UnknownTask": return 404;
    case "NotAssignee": return 403;
    case "TaskNotOpen":
    case "ObsoleteTask": return 409;
  }
}

/** Errors the web app raises itself: the person is not signed in, or may not do this. */
export class HttpError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 415 | 422, message: string) {
    super(message);
    this.name = "HttpError";
  }
}

export function isJoeflowError(error: unknown): error is JoeflowError {
  return error instanceof JoeflowError;
}
