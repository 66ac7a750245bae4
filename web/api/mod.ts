/**
 * The JSON API under /api/: the same actions as the pages (start, every message, get, list) for
 * programs, with JSON errors and status codes, and its OpenAPI description at /api/openapi.json.
 * Errors are answered by the web app's one onError, as JSON for paths under /api/.
 */
import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { Urls } from "../urls.ts";
import { permit } from "./access.ts";
import { instanceMessageRoutes, taskMessageRoutes } from "./messages.ts";
import { openApiDocument, type OpenApiDocument } from "./openapi.ts";
import { apiPaths, type ApiKit, endpoint } from "./routing.ts";
import { taskRoutes } from "./tasks.ts";
import { workflowRoutes } from "./workflows.ts";
import { notFound } from "../errors.ts";

export function apiRoutes(deps: WebDeps, urls: Urls): Hono {
  const kit: ApiKit = { deps, paths: apiPaths(urls) };
  const api = new Hono();
  let document: OpenApiDocument | undefined;
  endpoint(api, "/openapi.json", {
    async GET(c) {
      await permit(deps, c, "view", "*");
      document ??= openApiDocument(deps, kit.paths.base);
      return c.json(document);
    },
  });
  // Fixed paths first: /tasks/{taskId}/cancel would otherwise read as /{workflow}/{id}/cancel.
  taskRoutes(api, kit);
  taskMessageRoutes(api, kit);
  workflowRoutes(api, kit);
  instanceMessageRoutes(api, kit);
  api.all("*", () => {
    throw notFound("There is no such API route.");
  });
  return api;
}

export type { OpenApiDocument } from "./openapi.ts";
