import { z } from "zod";
import { InvalidData, UnknownTask } from "../errors.ts";

/**
 * A chosen next task that is not one (not an outgoing edge, not a task of the workflow) is bad input
 * in the body, not a missing resource: InvalidData on `next`.
 */
export function invalidNext(error: unknown): unknown {
  return error instanceof UnknownTask ? new InvalidData([{ path: ["next"], message: error.message }]) : error;
}

/** Messages without arguments take `{}` or an empty body. */
export const emptyBody: z.ZodType<Record<string, never>> = z.strictObject({});
