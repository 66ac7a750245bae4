/**
 * The JSON API under /api/: the same actions as the pages (start, complete, override, rerun, cancel,
 * get, list) for programs, with JSON errors and status codes, and its OpenAPI description at
 * /api/openapi.json. Mount it with `app.route("/api", apiRoutes(deps, urls))`.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { WebDeps } from "../deps.ts";
import { createUrls, type Urls } from "../urls.ts";
import { permit } from "./access.ts";
import { ApiError, apiErrorResponse } from "./errors.ts";
import { openApiDocument, type OpenApiDocument } from "./openapi.ts";
import { apiPaths, type ApiKit, endpoint } from "./routing.ts";
import { taskRoutes } from "./tasks.ts";
import { workflowRoutes } from "./workflows.ts";

/** The largest body the API reads. */
const MAX_BODY_BYTES = 1024 * 1024;

export function apiRoutes(deps: WebDeps, urls: Urls = createUrls()): Hono {
  const kit: ApiKit = { deps, paths: apiPaths(urls) };
  const api = new Hono();
  api.use("*", bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => apiErrorResponse(new ApiError(413, "PayloadTooLarge", `The body may have at most ${MAX_BODY_BYTES} bytes.`), c),
  }));
  let document: OpenApiDocument | undefined;
  endpoint(api, "/openapi.json", {
    async GET(c) {
      await permit(deps, c, "view", "*");
      document ??= openApiDocument(deps, kit.paths.base);
      return c.json(document);
    },
  });
  // Fixed paths first: /tasks/{taskId} would otherwise read as /{workflow}/{id}.
  taskRoutes(api, kit);
  workflowRoutes(api, kit);
  api.all("*", (c) => apiErrorResponse(new ApiError(404, "NotFound", "There is no such API route."), c));
  api.onError(apiErrorResponse);
  return api;
}

export type { OpenApiDocument } from "./openapi.ts";
export type { ErrorBody, ErrorBodyCode } from "./errors.ts";
