import type { AnyWorkflow } from "../definition/define.ts";
import { instanceTitle } from "../definition/title.ts";
import type { CompiledGraph } from "../graph/types.ts";
import type { Reader } from "../store/db.ts";
import type { Db } from "../store/db.ts";
import { findGraph, type Transition } from "../store/instances.ts";

/** What every activity works with: the database and the definitions of this worker. */
export interface ActivityContext {
  readonly db: Db;
  readonly workflows: ReadonlyMap<string, AnyWorkflow>;
  readonly graphs: Map<string, CompiledGraph>;
}

export function activityContext(db: Db, workflows: readonly AnyWorkflow[]): ActivityContext {
  return { db, workflows: new Map(workflows.map((w) => [w.name, w])), graphs: new Map() };
}

/** The graph an instance runs; graphs never change once stored, so they are cached by version. */
export async function graphOf(ctx: ActivityContext, db: Reader, version: string): Promise<CompiledGraph> {
  const cached = ctx.graphs.get(version);
  if (cached) return cached;
  const graph = await findGraph(db, version);
  if (!graph) throw new Error(`Graph ${version} is not in the database`);
  ctx.graphs.set(version, graph);
  return graph;
}

/** The transition with the instance's title for its new state, when it has one (the title follows the state). */
export function withTitle(
  ctx: ActivityContext,
  instance: { readonly id: string; readonly name: string },
  transition: Transition,
): Transition {
  if (!transition.state) return transition;
  const title = instanceTitle(ctx.workflows.get(instance.name), { ...instance, state: transition.state });
  return { ...transition, title };
}
