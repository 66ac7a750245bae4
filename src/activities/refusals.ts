/**
 * Errors that cannot heal by retrying: the database refused the data itself (PostgreSQL's class 22,
 * "data exception": a NUL in text, a timestamp out of range, JSON it cannot store). Temporal must not
 * retry those for ever; they become a typed InvalidData, given up at once.
 */
import { ApplicationFailure } from "@temporalio/common";
import { type ErrorData, InvalidData } from "../errors.ts";

export function isDataRefusal(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && code.startsWith("22");
}

export function refusedData(error: Error): InvalidData {
  return new InvalidData([{ path: [], message: `the database refused it: ${error.message}`, code: "refused" }]);
}

/** A failure Temporal does not retry, carrying the typed error's data for the workflow to pass on. */
export function givenUp(data: ErrorData, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: data.code, message, details: [data], nonRetryable: true });
}
