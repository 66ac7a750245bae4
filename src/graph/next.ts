import type { CompiledGraph } from "./types.ts";
import { hasTask, successors } from "./types.ts";

export type NextStep = { readonly kind: "next"; readonly names: readonly string[] } | { readonly kind: "notYet" };

/** What a machine task's return value means; throws a TypeError for values it may not return. */
export function nextStep(graph: CompiledGraph, task: string, result: unknown): NextStep {
  if (result === undefined || result === null || result === true)
    return { kind: "next", names: successors(graph, task) };
  if (result === false) return { kind: "notYet" };
  if (!Array.isArray(result)) {
    throw new TypeError(
      `Task "${task}" returned ${describe(result)}; expected nothing, true, false or a list of task names`,
    );
  }
  const names: string[] = [];
  for (const name of result as unknown[]) {
    if (typeof name !== "string" || !hasTask(graph, name)) {
      throw new TypeError(`Task "${task}" returned ${describe(name)}, which is not a task of workflow "${graph.name}"`);
    }
    if (!names.includes(name)) names.push(name);
  }
  return { kind: "next", names };
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return `${typeof value} ${JSON.stringify(value)}`;
  } catch {
    return typeof value;
  }
}
