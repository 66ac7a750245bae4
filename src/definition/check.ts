import type { CompiledGraph } from "../graph/types.ts";
import { dueRoutes, hasTask, isStartKind, predecessors } from "../graph/types.ts";

export const NAME_PATTERN = /^[a-z][a-z0-9_-]*$/;
export const TASK_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Workflow names that would collide with the web app's own top-level routes. */
export const RESERVED_WORKFLOW_NAMES: ReadonlySet<string> = new Set([
  "api",
  "static",
  "inbox",
  "signin",
  "signout",
  "tasks",
  "workflows",
]);
/** Task names that would collide with the web app's own routes. */
export const RESERVED_TASK_NAMES: ReadonlySet<string> = new Set(["override", "api", "static", "inbox", "detail"]);

/** Every problem of a compiled graph against the state's field names; empty when it is valid. */
export function graphProblems(graph: CompiledGraph, stateFields: readonly string[]): string[] {
  return [
    ...nameProblems(graph),
    ...taskProblems(graph, new Set(stateFields)),
    ...edgeProblems(graph),
    ...startProblems(graph),
  ];
}

function nameProblems(graph: CompiledGraph): string[] {
  const problems: string[] = [];
  if (!NAME_PATTERN.test(graph.name)) {
    problems.push(`name "${graph.name}" must be lower case letters, digits, "_" or "-", starting with a letter`);
  }
  if (RESERVED_WORKFLOW_NAMES.has(graph.name)) problems.push(`name "${graph.name}" is reserved`);
  for (const name of Object.keys(graph.tasks)) {
    if (!TASK_NAME_PATTERN.test(name)) problems.push(`task name "${name}" must be an identifier`);
    if (RESERVED_TASK_NAMES.has(name)) problems.push(`task name "${name}" is reserved`);
  }
  return problems;
}

function taskProblems(graph: CompiledGraph, fields: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const [name, task] of Object.entries(graph.tasks)) {
    if (task.kind === "startView" || task.kind === "updateView") {
      for (const field of task.fields) {
        if (!fields.has(field)) problems.push(`task "${name}" edits "${field}", which is not a state field`);
      }
    }
    if (task.kind === "updateView") {
      for (const field of task.show ?? []) {
        if (!fields.has(field)) problems.push(`task "${name}" shows "${field}", which is not a state field`);
      }
      for (const field of task.required ?? []) {
        if (!task.fields.includes(field)) problems.push(`task "${name}" requires "${field}", which it does not edit`);
      }
      for (const next of task.onDue && "goTo" in task.onDue ? task.onDue.goTo : []) {
        if (!hasTask(graph, next)) problems.push(`task "${name}" goes to "${next}" when due, which is not a task`);
        else if (isStartKind(graph.tasks[next]!)) problems.push(`task "${name}" goes to start task "${next}" when due`);
      }
    }
    if (task.kind === "join") {
      const incoming = new Set(predecessors(graph, name));
      for (const parent of task.parents) {
        if (!hasTask(graph, parent)) problems.push(`join "${name}" waits for "${parent}", which is not a task`);
        else if (!incoming.has(parent)) problems.push(`join "${name}" waits for "${parent}", which has no edge to it`);
      }
      if (task.parents.length === 0) problems.push(`join "${name}" lists no parents`);
    }
  }
  return problems;
}

function edgeProblems(graph: CompiledGraph): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [from, to] of graph.edges) {
    for (const end of [from, to]) {
      if (!hasTask(graph, end)) problems.push(`edge ${from} -> ${to} names "${end}", which is not a task`);
    }
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) problems.push(`edge ${from} -> ${to} is listed twice`);
    seen.add(key);
  }
  return problems;
}

function startProblems(graph: CompiledGraph): string[] {
  const starts = Object.keys(graph.tasks).filter((name) => isStartKind(graph.tasks[name]!));
  if (starts.length === 0) return ["there is no start task (tasks.start() or tasks.startView())"];
  const problems = starts
    .filter((name) => predecessors(graph, name).length > 0)
    .map((name) => `start task "${name}" has incoming edges`);
  const reached = new Set(starts);
  const queue = [...starts];
  // A task an overdue task goes to is reached that way too.
  const routes = [...graph.edges, ...dueRoutes(graph)];
  while (queue.length) {
    const from = queue.shift()!;
    for (const [edgeFrom, to] of routes) {
      if (edgeFrom === from && !reached.has(to)) {
        reached.add(to);
        queue.push(to);
      }
    }
  }
  for (const name of Object.keys(graph.tasks)) {
    if (!reached.has(name)) problems.push(`task "${name}" cannot be reached from a start task`);
  }
  return problems;
}
