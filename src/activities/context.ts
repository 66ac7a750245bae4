import type { AnyWorkflow } from "../definition/define.ts";
import { type Hooks, hookKinds } from "../definition/hooks.ts";
import type { EventsWanted } from "../store/events.ts";
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
  /** The worker's own hooks, on the events of every workflow it runs. */
  readonly hooks: Hooks;
}

export function activityContext(db: Db, workflows: readonly AnyWorkflow[], hooks: Hooks = {}): ActivityContext {
  return { db, workflows: new Map(workflows.map((w) => [w.name, w])), graphs: new Map(), hooks };
}

/**
 * What a transition of this workflow should write to the outbox; undefined when no hook listens, so
 * that a worker without hooks pays nothing. The worker's hooks are known only here, in the worker:
 * the transaction, which runs in this worker's activity, is where both owners' hooks meet.
 */
export function eventsWanted(
  ctx: ActivityContext,
  workflowName: string,
  cause: { user?: string | null; message?: string; overdue?: readonly string[] } = {},
): EventsWanted | undefined {
  const workflow = hookKinds(ctx.workflows.get(workflowName)?.on);
  const worker = hookKinds(ctx.hooks);
  if (workflow.length === 0 && worker.length === 0) return undefined;
  const { message, overdue } = cause;
  return {
    workflow,
    worker,
    user: cause.user ?? null,
    ...(message ? { message } : {}),
    ...(overdue ? { overdue } : {}),
  };
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
