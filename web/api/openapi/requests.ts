/**
 * The request bodies of the OpenAPI description, each added to the schemas as a component: a
 * workflow's start and completion requests with only their view's fields, its override request,
 * and the messages' own bodies.
 */
import { z } from "zod";
import type { AnyWorkflow, MessageInfo, MessageName } from "joeflow";
import type { WebWorkflow } from "../../deps.ts";
import { updateViews } from "../definitions.ts";
import { addZodSchema, componentName, type JsonObject, ref } from "../openapi-schemas.ts";

type Schemas = Record<string, JsonObject>;

/** A `{workflow}.{task}.StartRequest` per start view; `task` is required when there are several. */
export function startRequests(schemas: Schemas, definition: AnyWorkflow, starts: readonly string[]): JsonObject[] {
  return starts.map((task) => {
    const fields = fieldsSchema(schemas, definition, task, fieldsOf(definition, task));
    const name = componentName(definition.name, task, "StartRequest");
    schemas[name] = {
      type: "object",
      additionalProperties: false,
      required: starts.length > 1 ? ["task"] : [],
      properties: {
        task: { const: task },
        state: { ...fields, description: `Only the fields of "${task}"; others are ignored.` },
      },
    };
    return ref(name);
  });
}

/** A `{workflow}.{task}.CompleteRequest` per human task: its fields, and the edges to follow. */
export function completeRequests(schemas: Schemas, definition: AnyWorkflow): JsonObject[] {
  return updateViews(definition).map((task) => {
    const fields = fieldsSchema(schemas, definition, task.name, task.fields);
    const name = componentName(definition.name, task.name, "CompleteRequest");
    schemas[name] = {
      type: "object",
      additionalProperties: false,
      title: `${definition.name}: ${task.name}`,
      properties: {
        data: { ...fields, description: `Only the fields of "${task.name}"; others are ignored.` },
        next: {
          type: "array",
          ...(task.next.length ? { items: { enum: task.next } } : { maxItems: 0 }),
          description: "The outgoing edges to follow; all when left out.",
        },
      },
    };
    return ref(name);
  });
}

/** An override's body for this workflow: a partial state, and next tasks among the workflow's. */
export function overrideRequest(schemas: Schemas, web: WebWorkflow): JsonObject {
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

/** A message's body as its route's schema says; the messages that take none share EmptyRequest. */
export function bodySchema(schemas: Schemas, message: MessageInfo<MessageName>): JsonObject {
  const json = z.toJSONSchema(message.route.body, { io: "input", unrepresentable: "any" }) as JsonObject;
  if (Object.keys((json.properties as object | undefined) ?? {}).length === 0) return ref("EmptyRequest");
  return addZodSchema(schemas, componentName(message.route.operationId, "Request"), message.route.body, "input");
}

function fieldsOf(definition: AnyWorkflow, task: string): readonly string[] {
  const compiled = definition.graph.tasks[task];
  return compiled?.kind === "startView" || compiled?.kind === "updateView" ? compiled.fields : [];
}

/** The input schema of a task's fields alone, as component `{workflow}.{task}.Fields`. */
function fieldsSchema(schemas: Schemas, definition: AnyWorkflow, task: string, fields: readonly string[]): JsonObject {
  const mask = Object.fromEntries(fields.map((field) => [field, true] as const)) as Parameters<
    AnyWorkflow["state"]["pick"]
  >[0];
  return addZodSchema(schemas, componentName(definition.name, task, "Fields"), definition.state.pick(mask), "input");
}
