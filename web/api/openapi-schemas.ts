/**
 * The schemas the OpenAPI description shares: errors, instances, tasks, pages, results; and the
 * conversion of a zod schema into a component whose `$ref`s point inside the document.
 */
import { z } from "zod";
import { ERROR_CODES, INBOX_SCOPES } from "joeflow";
import { WEB_ERROR_CODES } from "../errors.ts";
import { TASK_STATUSES, WORKFLOW_STATUSES } from "./request.ts";

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it) or any other object of the document. */
export type JsonObject = { [key: string]: unknown };

export const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

/** A component name OpenAPI accepts: letters, digits, ".", "-" and "_". */
export const componentName = (...parts: string[]): string =>
  parts.map((p) => p.replace(/[^A-Za-z0-9_-]/g, "_")).join(".");

/**
 * Adds the zod schema as component `name`, in its input or output shape, and answers a `$ref` to it.
 * zod puts recursive and shared parts in `$defs`: they become components `name.<def>`, and their
 * references are rewritten to point there.
 */
export function addZodSchema(
  schemas: Record<string, JsonObject>,
  name: string,
  schema: z.ZodType,
  io: "input" | "output",
): JsonObject {
  let converted: JsonObject;
  try {
    converted = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonObject;
  } catch (error) {
    converted = {
      description: `Not describable in JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const { $schema: _dialect, $defs, ...root } = converted;
  const target = (pointer: string): string => {
    if (pointer === "#") return `#/components/schemas/${name}`;
    if (pointer.startsWith("#/$defs/")) return `#/components/schemas/${name}.${pointer.slice("#/$defs/".length)}`;
    return pointer;
  };
  for (const [key, definition] of Object.entries(isObject($defs) ? $defs : {})) {
    schemas[`${name}.${key}`] = rewriteRefs(definition, target) as JsonObject;
  }
  schemas[name] = rewriteRefs(root, target) as JsonObject;
  return ref(name);
}

function rewriteRefs(value: unknown, target: (pointer: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, target));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === "$ref" && typeof item === "string" ? target(item) : rewriteRefs(item, target),
    ]),
  );
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const string = { type: "string" };
const dateTime = { type: "string", format: "date-time" };
const uuid = { type: "string", format: "uuid" };
const nullable = (schema: JsonObject): JsonObject => ({ anyOf: [schema, { type: "null" }] });
const object = (properties: Record<string, JsonObject>, optional: readonly string[] = []): JsonObject => ({
  type: "object",
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
});
const array = (items: JsonObject): JsonObject => ({ type: "array", items });
const page = (item: JsonObject): JsonObject => object({ items: array(item), nextCursor: nullable(string) });

/** The schemas every document has; the per-workflow ones refine `Instance` and friends. */
export function commonSchemas(): Record<string, JsonObject> {
  const task = object(
    {
      id: uuid,
      workflowId: uuid,
      name: string,
      type: { type: "string", enum: ["human", "machine"] },
      status: { type: "string", enum: [...TASK_STATUSES] },
      parentIds: array(uuid),
      assignees: array(string),
      groups: array(string),
      claimedBy: nullable(string),
      completedByUser: nullable(string),
      created: dateTime,
      modified: dateTime,
      completed: nullable(dateTime),
      exception: nullable(string),
      stacktrace: nullable(string),
      attempt: { type: "integer", minimum: 1 },
      due: { ...nullable(dateTime), description: "When a human task should be done; null: no due date." },
      overdue: { type: "boolean", description: "Still open and past its due date." },
      childWorkflowId: { ...uuid, description: "A subflow task's child instance (its latest attempt's)." },
    },
    ["childWorkflowId"],
  );
  return {
    Issue: object({ path: array({ type: ["string", "integer"] }), message: string, code: string }, ["code"]),
    Error: object({
      error: object(
        {
          code: { type: "string", enum: [...ERROR_CODES, ...WEB_ERROR_CODES] },
          message: string,
          issues: array(ref("Issue")),
        },
        ["issues"],
      ),
    }),
    Task: task,
    Action: {
      ...object({
        name: string,
        taskId: nullable(uuid),
        taskName: nullable(string),
        user: nullable(string),
        at: dateTime,
      }),
      description: "A message the instance applied (completeTask, claim, reassign, ...): who sent it, and when.",
    },
    TaskSummary: { allOf: [ref("Task"), object({ workflowName: string, workflowTitle: string })] },
    TaskPage: page(ref("TaskSummary")),
    InboxPage: {
      allOf: [
        ref("TaskPage"),
        object({
          counts: {
            ...object(Object.fromEntries(INBOX_SCOPES.map((scope) => [scope, { type: "integer", minimum: 0 }]))),
            description: "Each scope's number of tasks under the other filters (workflow, task, search).",
          },
        }),
      ],
    },
    Instance: object(
      {
        id: uuid,
        name: string,
        title: {
          ...string,
          description: "The definition's title of the state, or the workflow's label and a short id.",
        },
        status: { type: "string", enum: [...WORKFLOW_STATUSES] },
        state: { type: "object" },
        graphVersion: string,
        created: dateTime,
        modified: dateTime,
        parent: {
          ...object({ workflowId: uuid, taskId: uuid }),
          description: "A sub-workflow's parent instance and the subflow task that started it.",
        },
      },
      ["parent"],
    ),
    HookDelivery: object({
      id: uuid,
      kind: string,
      target: { type: "string", enum: ["workflow", "worker"] },
      taskId: nullable(uuid),
      status: { type: "string", enum: ["pending", "failed"] },
      attempts: { type: "integer", minimum: 0 },
      lastError: nullable(string),
      created: dateTime,
      modified: dateTime,
    }),
    StateChange: object({
      taskId: uuid,
      taskName: string,
      user: nullable(string),
      at: dateTime,
      before: nullable({ type: "object" }),
      after: { type: "object" },
    }),
    InstanceDetail: {
      allOf: [
        ref("Instance"),
        object({
          tasks: array(ref("Task")),
          hooks: array(ref("HookDelivery")),
          history: array(ref("StateChange")),
          actions: array(ref("Action")),
        }),
      ],
      description:
        "The instance with its tasks, oldest first, its hook events not delivered (retrying or failed), " +
        "the history of its state changes and its actions.",
    },
    InstancePage: page(ref("Instance")),
    Started: object({ workflowId: uuid, url: { ...string, description: "The instance in this API." } }),
    ActionResult: object({
      workflowId: uuid,
      taskId: { ...nullable(uuid), description: "The task the action made or touched." },
      workflowStatus: {
        type: "string",
        enum: [...WORKFLOW_STATUSES],
        description: "The instance's status after the action.",
      },
    }),
    TaskDescription: object(
      {
        name: string,
        kind: { type: "string", enum: ["start", "startView", "updateView", "machine", "join", "wait"] },
        type: { type: "string", enum: ["human", "machine"] },
        fields: array(string),
        pickNext: { type: "boolean" },
        required: array(string),
        next: array(string),
      },
      ["fields", "pickNext", "required"],
    ),
    WorkflowDescription: object({
      name: string,
      tasks: array(ref("TaskDescription")),
      edges: array({ type: "array", prefixItems: [string, string], minItems: 2, maxItems: 2 }),
      startTasks: array(string),
      overrides: { type: "boolean" },
    }),
    WorkflowList: object({ items: array(ref("WorkflowDescription")) }),
    EmptyRequest: { type: "object", additionalProperties: false, description: "No arguments: {} or an empty body." },
  };
}

/** The error answers, each a JSON `Error`. */
export function errorResponses(): Record<string, JsonObject> {
  const error = (description: string): JsonObject => ({
    description,
    content: { "application/json": { schema: ref("Error") } },
  });
  return {
    MalformedJson: error("The body is not valid JSON."),
    SignInRequired: error("Nobody is signed in, and this needs someone."),
    Forbidden: error("The user may not do this, or the task is assigned to others."),
    NotFound: error("No such workflow, instance, task or route."),
    MethodNotAllowed: error("The address does not take this method."),
    Conflict: error("The task is not open (any more), or not a person's task."),
    PayloadTooLarge: error("The body is larger than the API takes."),
    UnsupportedMediaType: error("The body is not sent as application/json."),
    InvalidData: error("The body or query does not fit its schema; `issues` name the fields. Nothing was changed."),
  };
}
