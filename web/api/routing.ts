import type { Context, Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { Urls } from "../urls.ts";
import { WebError } from "../errors.ts";

/** What the API's routes share. */
export interface ApiKit {
  readonly deps: WebDeps;
  readonly paths: ApiPaths;
}

/** The API's own URLs, below the app's base path. */
export interface ApiPaths {
  /** Where the API is mounted, e.g. "/api": the OpenAPI document's server. */
  readonly base: string;
  instance(workflow: string, workflowId: string): string;
}

export function apiPaths(urls: Urls): ApiPaths {
  const base = `${urls.index()}api`;
  return {
    base,
    instance: (workflow, workflowId) => `${base}/${encodeURIComponent(workflow)}/${encodeURIComponent(workflowId)}`,
  };
}

/** A path parameter of the matched route ("" if the route has none of that name). */
export function pathParam(c: Context, name: string): string {
  return c.req.param(name) ?? "";
}

type Handler = (c: Context) => Promise<Response>;

/** Registers the handlers of one path; any other method gets 405 with the methods it allows. */
export function endpoint(app: Hono, path: string, methods: Partial<Record<"GET" | "POST", Handler>>): void {
  for (const [method, handler] of Object.entries(methods)) app.on(method, path, handler);
  const allow = Object.keys(methods).join(", ");
  app.all(path, () => {
    throw new WebError(405, "MethodNotAllowed", `This address takes ${allow} only.`, { headers: { allow } });
  });
}
