/**
 * The task paths of the OpenAPI description: the list of tasks, one task, and the task messages of
 * the message registry, where completing takes any human task's completion request.
 */
import { INBOX_SCOPES, MESSAGE_INFO, MESSAGE_NAMES } from "joeflow";
import { type JsonObject, ref } from "../openapi-schemas.ts";
import { body, ok, operation, parameter, READ, WRITE } from "./operations.ts";
import { bodySchema } from "./requests.ts";

type Schemas = Record<string, JsonObject>;

/** The task paths; `completions` are the completion requests of every workflow's human tasks. */
export function taskPaths(completions: readonly JsonObject[], schemas: Schemas): Record<string, JsonObject> {
  return {
    "/tasks": { get: listTasks() },
    "/inbox": { get: inbox() },
    "/tasks/{taskId}": {
      parameters: [parameter("TaskId")],
      get: operation("getTask", "One task, with its workflow's name.", ok(ref("TaskSummary")), READ),
    },
    ...messagePaths(completeRequest(completions), schemas),
  };
}

const query = (name: string, description: string, schema: JsonObject): JsonObject => ({
  name,
  in: "query",
  required: false,
  description,
  schema,
});

function inbox(): JsonObject {
  const summary =
    "The signed-in user's open human tasks, newest first: mine (claimed by or assigned to me), groups " +
    "(offered to my groups, unclaimed), unassigned, or all I may view; with every scope's count.";
  return {
    ...operation("inbox", summary, ok(ref("InboxPage")), [...READ, "InvalidData"]),
    parameters: [
      query("scope", "Whose tasks; all when left out.", { enum: [...INBOX_SCOPES] }),
      query("workflow", "Only tasks of this workflow.", { type: "string" }),
      query("task", "Only tasks of this name.", { type: "string" }),
      query("search", "Only tasks whose instance's title has this text, in any case.", {
        type: "string",
        maxLength: 200,
      }),
      parameter("Cursor"),
      parameter("Limit"),
    ],
  };
}

function listTasks(): JsonObject {
  return {
    ...operation("listTasks", "Tasks of every workflow, newest first.", ok(ref("TaskPage")), [...READ, "InvalidData"]),
    parameters: [
      query("status", "Only tasks of this status.", { enum: ["scheduled", "succeeded", "failed", "canceled"] }),
      query("name", "Only tasks of this name.", { type: "string" }),
      query("workflowId", "Only tasks of this instance.", { type: "string", format: "uuid" }),
      query("assignee", "Only tasks assigned to this user.", { type: "string" }),
      query("unassigned", "Only tasks assigned to nobody in particular.", { enum: ["true", "false"] }),
      query("type", "Only human or machine tasks.", { enum: ["human", "machine"] }),
      parameter("Cursor"),
      parameter("Limit"),
    ],
  };
}

/** completeTask's body: the one completion request there is, or any of several; loose when none. */
function completeRequest(completions: readonly JsonObject[]): JsonObject {
  if (completions.length === 0) {
    return {
      type: "object",
      properties: { data: { type: "object" }, next: { type: "array", items: { type: "string" } } },
    };
  }
  return completions.length === 1 ? completions[0]! : { anyOf: completions };
}

/** The task messages' paths; completeTask's body is the union of every human task's own. */
function messagePaths(complete: JsonObject, schemas: Schemas): Record<string, JsonObject> {
  const paths: Record<string, JsonObject> = {};
  for (const name of MESSAGE_NAMES) {
    const message = MESSAGE_INFO[name];
    if (message.target !== "task") continue;
    const request = name === "completeTask" ? complete : bodySchema(schemas, message);
    paths[`/tasks/{taskId}/${message.route.verb}`] = {
      parameters: [parameter("TaskId")],
      post: operation(
        message.route.operationId,
        message.route.summary,
        ok(ref("ActionResult")),
        [...WRITE, "Conflict"],
        // Required where an empty body would not do (reassign's assignees); complete's always.
        body(request, name === "completeTask" || !message.route.body.safeParse({}).success),
      ),
    };
  }
  return paths;
}
