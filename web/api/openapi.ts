/**
 * The OpenAPI 3.1 description of the JSON API, built from the served workflows: each workflow's state
 * schema, a request schema per start view and per human task with only that task's fields, and every
 * route with its parameters and answers. The paths are made in openapi/: a workflow's, the tasks'.
 */
import type { WebDeps } from "../deps.ts";
import { commonSchemas, errorResponses, type JsonObject, ref } from "./openapi-schemas.ts";
import { ok, operation, parameters } from "./openapi/operations.ts";
import { taskPaths } from "./openapi/task-paths.ts";
import { workflowPaths } from "./openapi/workflow-paths.ts";

export type { JsonObject } from "./openapi-schemas.ts";

export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly servers: readonly { readonly url: string }[];
  readonly paths: Record<string, JsonObject>;
  readonly components: {
    readonly schemas: Record<string, JsonObject>;
    readonly responses: Record<string, JsonObject>;
    readonly parameters: Record<string, JsonObject>;
  };
}

export function openApiDocument(deps: WebDeps, serverUrl: string): OpenApiDocument {
  const schemas = commonSchemas();
  const paths: Record<string, JsonObject> = {
    "/workflows": {
      get: operation(
        "listWorkflows",
        "The served workflows: tasks, edges and start views.",
        ok(ref("WorkflowList")),
        [],
      ),
    },
    "/openapi.json": { get: operation("openApi", "This description.", ok({ type: "object" }), []) },
  };
  const completions: JsonObject[] = [];
  for (const web of deps.workflows.values()) {
    Object.assign(paths, workflowPaths(web, schemas, completions));
  }
  Object.assign(paths, taskPaths(completions, schemas));
  return {
    openapi: "3.1.0",
    info: {
      title: "joeflow",
      version: "1",
      description:
        "Start workflows, do their tasks, override, rerun and cancel. Bodies are JSON (application/json); " +
        "dates are ISO 8601 strings; errors are { error: { code, message, issues? } }.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: { schemas, responses: errorResponses(), parameters: parameters() },
  };
}
