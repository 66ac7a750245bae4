/** Workflow definitions as the API describes them: tasks, edges and where one may start. */
import type { AnyWorkflow, CompiledTask } from "joeflow";
import { successors } from "joeflow";
import type { WebWorkflow } from "../deps.ts";

export interface TaskDescription {
  readonly name: string;
  readonly kind: CompiledTask["kind"];
  readonly type: CompiledTask["type"];
  /** The state fields a human task edits. */
  readonly fields?: readonly string[];
  /** The person picks which outgoing edge to follow. */
  readonly pickNext?: boolean;
  /** The fields completing the task must fill; 422 when one is empty. */
  readonly required?: readonly string[];
  /** The tasks this one leads to. */
  readonly next: readonly string[];
}

export interface WorkflowDescription {
  readonly name: string;
  readonly tasks: readonly TaskDescription[];
  readonly edges: readonly (readonly [string, string])[];
  /** The start views: the tasks `POST /api/{name}/start` starts from. */
  readonly startTasks: readonly string[];
  /** Whether `POST /api/{name}/{id}/override` is served. */
  readonly overrides: boolean;
}

export function describeWorkflow(web: WebWorkflow): WorkflowDescription {
  const { graph } = web.definition;
  return {
    name: web.definition.name,
    tasks: Object.entries(graph.tasks).map(([name, task]) => ({
      name,
      kind: task.kind,
      type: task.type,
      ...(task.kind === "startView" || task.kind === "updateView" ? { fields: task.fields } : {}),
      ...(task.kind === "updateView" && task.pickNext ? { pickNext: true } : {}),
      ...(task.kind === "updateView" && task.required ? { required: task.required } : {}),
      next: successors(graph, name),
    })),
    edges: graph.edges,
    startTasks: startViews(web.definition),
    overrides: web.overrideView,
  };
}

/**
 * The human start tasks, which people start from. A `tasks.start()` task is for code with the client:
 * over HTTP it would let anyone allowed to start set every state field.
 */
export function startViews(definition: AnyWorkflow): string[] {
  return Object.entries(definition.graph.tasks)
    .filter(([, task]) => task.kind === "startView")
    .map(([name]) => name);
}

/** The human tasks completed after the start, with their fields. */
export function updateViews(definition: AnyWorkflow): { name: string; fields: readonly string[]; next: string[] }[] {
  return Object.entries(definition.graph.tasks).flatMap(([name, task]) =>
    task.kind === "updateView" ? [{ name, fields: task.fields, next: successors(definition.graph, name) }] : [],
  );
}
