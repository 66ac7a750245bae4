/**
 * Sub-workflow tasks (tasks.subflow): what defineWorkflow checks of one, and what a worker checks of
 * the workflows it serves. The child runs as the same interpreter with the child's own graph.
 */
import type { CompiledGraph, CompiledTask } from "../graph/types.ts";
import { SubflowNotServed } from "../errors.ts";
import type { SubflowSpec } from "./types.ts";

type AnyState = Record<string, unknown>;

/** The one `tasks.start()` task a child starts from; undefined when it has none or several. */
export function childStartTask(graph: CompiledGraph): string | undefined {
  const starts = Object.entries(graph.tasks).filter(([, task]) => task.kind === "start");
  return starts.length === 1 ? starts[0]![0] : undefined;
}

/**
 * A subflow task compiled: the graph names the child's workflow only, so a changed child definition
 * does not change the parent's version; the functions stay in the definition, on the worker.
 */
export function compileSubflow(
  name: string,
  input: SubflowSpec<AnyState>,
  problems: string[],
): { compiled: CompiledTask; parts: { subflow: SubflowSpec<AnyState> } } {
  const child = input.workflow as Partial<SubflowSpec<AnyState>["workflow"]> | undefined;
  const childName = typeof child?.name === "string" ? child.name : "";
  if (!child?.graph || typeof child.graph.tasks !== "object" || !child.state) {
    problems.push(`subflow "${name}" is not given a workflow definition`);
  } else if (childStartTask(child.graph) === undefined) {
    // A startView child needs a person's form to start; a task cannot fill it in.
    problems.push(`subflow "${name}" starts "${childName}", which has no single tasks.start() task`);
  }
  if (typeof input.input !== "function") problems.push(`subflow "${name}" needs an input function`);
  if (input.output !== undefined && typeof input.output !== "function") {
    problems.push(`subflow "${name}" has an output that is no function`);
  }
  return { compiled: { kind: "subflow", type: "machine", workflow: childName }, parts: { subflow: input } };
}

/**
 * Refuses workflows whose sub-workflows this worker (or test env) would not run: every child must be
 * one of them, by name and by its definition, or a subflow task would start what nobody serves.
 */
export function checkSubflowsServed(
  workflows: readonly {
    readonly name: string;
    readonly graph: CompiledGraph;
    readonly runtime: ReadonlyMap<string, { readonly subflow?: unknown }>;
  }[],
): void {
  const served = new Map(workflows.map((w) => [w.name, w]));
  for (const workflow of workflows) {
    for (const [task, parts] of workflow.runtime) {
      const child = (parts.subflow as SubflowSpec<AnyState> | undefined)?.workflow;
      if (child && served.get(child.name)?.graph.version !== child.graph.version)
        throw new SubflowNotServed(workflow.name, task, child.name);
    }
  }
}
