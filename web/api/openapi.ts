/**
 * The OpenAPI 3.1 description of the JSON API, built from the served workflows: each workflow's state
 * schema, a request schema per start view and per human task with only that task's fields, and every
 * route with its parameters and answers.
 */
import { z } from "zod";
import { type AnyWorkflow, MESSAGE_INFO, MESSAGE_NAMES, type MessageInfo, type MessageName } from "joeflow";
import type { WebDeps, WebWorkflow } from "../deps.ts";
import { startViews, updateViews } from "./definitions.ts";
import { addZodSchema, commonSchemas, componentName, errorResponses, type JsonObject, ref } from "./openapi-schemas.ts";

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

type ErrorAnswer =
  | "MalformedJson"
  | "SignInRequired"
  | "Forbidden"
  | "NotFound"
  | "Conflict"
  | "PayloadTooLarge"
  | "UnsupportedMediaType"
  | "InvalidData";
const STATUS: Record<ErrorAnswer, string> = {
  MalformedJson: "400",
  SignInRequired: "401",
  Forbidden: "403",
  NotFound: "404",
  Conflict: "409",
  PayloadTooLarge: "413",
  UnsupportedMediaType: "415",
  InvalidData: "422",
};
const READ: readonly ErrorAnswer[] = ["SignInRequired", "Forbidden", "NotFound"];
const WRITE: readonly ErrorAnswer[] = [
  ...READ,
  "MalformedJson",
  "PayloadTooLarge",
  "UnsupportedMediaType",
  "InvalidData",
];

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

/** The paths of one workflow; adds its schemas, and its tasks' completion schemas to `completions`. */
function workflowPaths(
  web: WebWorkflow,
  schemas: Record<string, JsonObject>,
  completions: JsonObject[],
): Record<string, JsonObject> {
  const definition = web.definition;
  const name = definition.name;
  const key = (...parts: string[]) => componentName(name, ...parts);
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
  const paths: Record<string, JsonObject> = {};

  const starts = startViews(definition);
  if (starts.length) {
    const requests = starts.map((task) => {
      const fields = fieldsSchema(schemas, definition, task, fieldsOf(definition, task));
      schemas[key(task, "StartRequest")] = {
        type: "object",
        additionalProperties: false,
        required: starts.length > 1 ? ["task"] : [],
        properties: {
          task: { const: task },
          state: { ...fields, description: `Only the fields of "${task}"; others are ignored.` },
        },
      };
      return ref(key(task, "StartRequest"));
    });
    paths[`/${name}/start`] = {
      post: operation(
        `${name}.start`,
        `Start a ${name} from a start view (${starts.join(", ")}).`,
        {
          "201": {
            description: "Started.",
            headers: { Location: { description: "The new instance in this API.", schema: { type: "string" } } },
            content: json(ref("Started")),
          },
        },
        WRITE,
        body(requests.length === 1 ? requests[0]! : { oneOf: requests }, true),
      ),
    };
  }

  paths[`/${name}/instances`] = {
    get: {
      ...operation(`${name}.list`, `Instances of ${name}, newest first.`, ok(ref(key("InstancePage"))), [
        ...READ,
        "InvalidData",
      ]),
      parameters: [
        { $ref: "#/components/parameters/WorkflowStatus" },
        { $ref: "#/components/parameters/Cursor" },
        { $ref: "#/components/parameters/Limit" },
      ],
    },
  };
  paths[`/${name}/{workflowId}`] = {
    parameters: [{ $ref: "#/components/parameters/WorkflowId" }],
    get: operation(
      `${name}.get`,
      "The instance, its tasks and the history of its state.",
      ok(ref(key("InstanceDetail"))),
      READ,
    ),
  };
  for (const messageName of MESSAGE_NAMES) {
    const message = MESSAGE_INFO[messageName];
    const override = messageName === "override";
    if (message.target !== "instance" || (override && !web.overrideView)) continue;
    paths[`/${name}/{workflowId}/${message.route.verb}`] = {
      parameters: [{ $ref: "#/components/parameters/WorkflowId" }],
      post: operation(
        `${name}.${message.route.operationId}`,
        message.route.summary,
        ok(ref("ActionResult")),
        WRITE,
        body(override ? overrideRequest(web, schemas) : bodySchema(schemas, message), override),
      ),
    };
  }

  for (const task of updateViews(definition)) {
    const fields = fieldsSchema(schemas, definition, task.name, task.fields);
    schemas[key(task.name, "CompleteRequest")] = {
      type: "object",
      additionalProperties: false,
      title: `${name}: ${task.name}`,
      properties: {
        data: { ...fields, description: `Only the fields of "${task.name}"; others are ignored.` },
        next: {
          type: "array",
          ...(task.next.length ? { items: { enum: task.next } } : { maxItems: 0 }),
          description: "The outgoing edges to follow; all when left out.",
        },
      },
    };
    completions.push(ref(key(task.name, "CompleteRequest")));
  }
  return paths;
}

function fieldsOf(definition: AnyWorkflow, task: string): readonly string[] {
  const compiled = definition.graph.tasks[task];
  return compiled?.kind === "startView" || compiled?.kind === "updateView" ? compiled.fields : [];
}

/** The input schema of a task's fields alone, as component `{workflow}.{task}.Fields`. */
function fieldsSchema(
  schemas: Record<string, JsonObject>,
  definition: AnyWorkflow,
  task: string,
  fields: readonly string[],
): JsonObject {
  const mask = Object.fromEntries(fields.map((field) => [field, true] as const)) as Parameters<
    AnyWorkflow["state"]["pick"]
  >[0];
  return addZodSchema(schemas, componentName(definition.name, task, "Fields"), definition.state.pick(mask), "input");
}

function taskPaths(
  completions: readonly JsonObject[],
  schemas: Record<string, JsonObject>,
): Record<string, JsonObject> {
  const taskId = [{ $ref: "#/components/parameters/TaskId" }];
  const complete =
    completions.length === 0
      ? { type: "object", properties: { data: { type: "object" }, next: { type: "array", items: { type: "string" } } } }
      : completions.length === 1
        ? completions[0]!
        : { anyOf: completions };
  const query = (name: string, description: string, schema: JsonObject): JsonObject => ({
    name,
    in: "query",
    required: false,
    description,
    schema,
  });
  return {
    "/tasks": {
      get: {
        ...operation("listTasks", "Tasks of every workflow, newest first.", ok(ref("TaskPage")), [
          ...READ,
          "InvalidData",
        ]),
        parameters: [
          query("status", "Only tasks of this status.", { enum: ["scheduled", "succeeded", "failed", "canceled"] }),
          query("name", "Only tasks of this name.", { type: "string" }),
          query("workflowId", "Only tasks of this instance.", { type: "string", format: "uuid" }),
          query("assignee", "Only tasks assigned to this user.", { type: "string" }),
          query("unassigned", "Only tasks assigned to nobody in particular.", { enum: ["true", "false"] }),
          query("type", "Only human or machine tasks.", { enum: ["human", "machine"] }),
          { $ref: "#/components/parameters/Cursor" },
          { $ref: "#/components/parameters/Limit" },
        ],
      },
    },
    "/tasks/{taskId}": {
      parameters: taskId,
      get: operation("getTask", "One task, with its workflow's name.", ok(ref("TaskSummary")), READ),
    },
    ...messagePaths(complete, schemas),
  };
}

/** The task messages' paths; completeTask's body is the union of every human task's own. */
function messagePaths(complete: JsonObject, schemas: Record<string, JsonObject>): Record<string, JsonObject> {
  const paths: Record<string, JsonObject> = {};
  for (const name of MESSAGE_NAMES) {
    const message = MESSAGE_INFO[name];
    if (message.target !== "task") continue;
    const request = name === "completeTask" ? complete : bodySchema(schemas, message);
    paths[`/tasks/{taskId}/${message.route.verb}`] = {
      parameters: [{ $ref: "#/components/parameters/TaskId" }],
      post: operation(
        message.route.operationId,
        message.route.summary,
        ok(ref("ActionResult")),
        [...WRITE, "Conflict"],
        body(request, name === "completeTask"),
      ),
    };
  }
  return paths;
}

/** A message's body as its route's schema says; the messages that take none share EmptyRequest. */
function bodySchema(schemas: Record<string, JsonObject>, message: MessageInfo<MessageName>): JsonObject {
  const json = z.toJSONSchema(message.route.body, { io: "input", unrepresentable: "any" }) as JsonObject;
  if (Object.keys((json.properties as object | undefined) ?? {}).length === 0) return ref("EmptyRequest");
  return addZodSchema(schemas, componentName(message.route.operationId, "Request"), message.route.body, "input");
}

/** An override's body for this workflow: a partial state, and next tasks among the workflow's. */
function overrideRequest(web: WebWorkflow, schemas: Record<string, JsonObject>): JsonObject {
  const definition = web.definition;
  const key = (...parts: string[]) => componentName(definition.name, ...parts);
  const patch = addZodSchema(schemas, key("StatePatch"), definition.state.partial(), "input");
  schemas[key("OverrideRequest")] = {
    type: "object",
    additionalProperties: false,
    required: ["next"],
    properties: {
      state: { ...patch, description: "Merged into the state, then the whole state is validated." },
      next: {
        type: "array",
        items: { enum: Object.keys(definition.graph.tasks) },
        description: "The tasks to start; [] halts the instance.",
      },
    },
  };
  return ref(key("OverrideRequest"));
}

function parameters(): Record<string, JsonObject> {
  return {
    WorkflowId: { name: "workflowId", in: "path", required: true, schema: { type: "string", format: "uuid" } },
    TaskId: { name: "taskId", in: "path", required: true, schema: { type: "string", format: "uuid" } },
    WorkflowStatus: { name: "status", in: "query", required: false, schema: { enum: ["running", "done", "canceled"] } },
    Cursor: {
      name: "cursor",
      in: "query",
      required: false,
      description: "The `nextCursor` of the previous page.",
      schema: { type: "string" },
    },
    Limit: {
      name: "limit",
      in: "query",
      required: false,
      schema: { type: "integer", minimum: 1, maximum: 500, default: 50 },
    },
  };
}

function operation(
  operationId: string,
  summary: string,
  responses: JsonObject,
  errors: readonly ErrorAnswer[],
  requestBody?: JsonObject,
): JsonObject {
  const answers: JsonObject = { ...responses };
  for (const error of errors) answers[STATUS[error]] = { $ref: `#/components/responses/${error}` };
  return { operationId, summary, ...(requestBody ? { requestBody } : {}), responses: answers };
}

const json = (schema: JsonObject): JsonObject => ({ "application/json": { schema } });
const ok = (schema: JsonObject): JsonObject => ({ "200": { description: "OK", content: json(schema) } });
const body = (schema: JsonObject, required: boolean): JsonObject => ({ required, content: json(schema) });
