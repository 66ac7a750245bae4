import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { WebError } from "../errors.ts";
import type { FormBody } from "./parse.ts";

/**
 * The fields of a form POST (every value of a repeated name). A body sent as a form that cannot be
 * read as one (multipart without its boundary, or broken) is the client's mistake: 400 MalformedBody,
 * before anything changes. Any other content type reads as no fields.
 */
export async function formBody(c: Context): Promise<FormBody> {
  try {
    if (!(await multipartComplete(c))) throw new TypeError("a multipart body without its closing boundary");
    return await c.req.parseBody({ all: true });
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    throw new WebError(400, "MalformedBody", "The body is not a form we can read.");
  }
}

/**
 * Whether a multipart body ends with its closing boundary. Node's parser refuses a body cut short;
 * Deno's reads it as a form with no fields, which would reach the handlers as an empty form. Other
 * bodies are left to the parser.
 */
async function multipartComplete(c: Context): Promise<boolean> {
  const type = c.req.header("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) return true;
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) return false;
  const text = await c.req.raw.clone().text();
  return text.trimEnd().endsWith(`--${boundary}--`);
}
