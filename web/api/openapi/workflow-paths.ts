/**
 * The paths of one workflow in the OpenAPI description: start, its instances, one instance, and the
 * instance messages of the message registry; with the schemas of its state and instances.
 */
import { type AnyWorkflow, MESSAGE_INFO, MESSAGE_NAMES } from "joeflow";
import type { WebWorkflow } from "../../deps.ts";
import { startViews } from "../definitions.ts";
import { addZodSchema, componentName, type JsonObject, ref } from "../openapi-schemas.ts";
import { body, json, ok, operation, parameter, READ, WRITE } from "./operations.ts";
import { bodySchema, completeRequests, overrideRequest, startRequests } from "./requests.ts";

type Schemas = Record<string, JsonObject>;

/** The paths of one workflow; adds its schemas, and its tasks' completion schemas to `completions`. */
export function workflowPaths(
  web: WebWorkflow,
  schemas: Schemas,
  completions: JsonObject[],
): Record<string, JsonObject> {
  const definition = web.definition;
  instanceSchemas(schemas, definition);
  // In this order: the schemas are listed in the order they are added.
  const paths = { ...startPath(schemas, definition), ...instancePaths(definition.name), ...messagePaths(schemas, web) };
  completions.push(...completeRequests(schemas, definition));
  return paths;
}

/** `{workflow}.State`, and the instance, detail and page schemas that carry it. */
function instanceSchemas(schemas: Schemas, definition: AnyWorkflow): void {
  const key = (...parts: string[]) => componentName(definition.name, ...parts);
  const state = addZodSchema(schemas, key("State"), definition.state, "output");
  const withState = (base: string): JsonObject => ({ allOf: [ref(base), { type: "object", properties: { state } }] });
  schemas[key("Instance")] = withState("Instance");
  schemas[key("InstanceDetail")] = withState("InstanceDetail");
  schemas[key("InstancePage")] = {
    type: "object",
    required: ["items", "nextCursor"],
    properties: {
      items: { type: "array", items: ref(key("Instance")) },
      nextCursor: { anyOf: [{ type: "string" }, { type: "null" }] },
    },
  };
}

/** `POST /{workflow}/start` from any of its start views; nothing when it has none. */
function startPath(schemas: Schemas, definition: AnyWorkflow): Record<string, JsonObject> {
  const name = definition.name;
  const starts = startViews(definition);
  if (!starts.length) return {};
  const requests = startRequests(schemas, definition, starts);
  const started = {
    description: "Started.",
    headers: { Location: { description: "The new instance in this API.", schema: { type: "string" } } },
    content: json(ref("Started")),
  };
  const summary = `Start a ${name} from a start view (${starts.join(", ")}).`;
  const request = requests.length === 1 ? requests[0]! : { oneOf: requests };
  return {
    [`/${name}/start`]: { post: operation(`${name}.start`, summary, { "201": started }, WRITE, body(request, true)) },
  };
}

/** The list of a workflow's instances, and one instance. */
function instancePaths(name: string): Record<string, JsonObject> {
  const key = (...parts: string[]) => componentName(name, ...parts);
  return {
    [`/${name}/instances`]: {
      get: {
        ...operation(`${name}.list`, `Instances of ${name}, newest first.`, ok(ref(key("InstancePage"))), [
          ...READ,
          "InvalidData",
        ]),
        parameters: [parameter("WorkflowStatus"), parameter("Cursor"), parameter("Limit")],
      },
    },
    [`/${name}/{workflowId}`]: {
      parameters: [parameter("WorkflowId")],
      get: operation(
        `${name}.get`,
        "The instance, its tasks and the history of its state.",
        ok(ref(key("InstanceDetail"))),
        READ,
      ),
    },
  };
}

/** A path per instance message of the registry; override only where the workflow serves it. */
function messagePaths(schemas: Schemas, web: WebWorkflow): Record<string, JsonObject> {
  const name = web.definition.name;
  const paths: Record<string, JsonObject> = {};
  for (const messageName of MESSAGE_NAMES) {
    const message = MESSAGE_INFO[messageName];
    const override = messageName === "override";
    if (message.target !== "instance" || (override && !web.overrideView)) continue;
    paths[`/${name}/{workflowId}/${message.route.verb}`] = {
      parameters: [parameter("WorkflowId")],
      post: operation(
        `${name}.${message.route.operationId}`,
        message.route.summary,
        ok(ref("ActionResult")),
        WRITE,
        body(override ? overrideRequest(schemas, web) : bodySchema(schemas, message), override),
      ),
    };
  }
  return paths;
}
