/**
 * A chain: one runTask activity runs a machine task and then, one after another, the machine tasks
 * each step started, so that a run of quick steps pays Temporal's cost per activity (the dev server's
 * and the worker's, about as much as the step itself) once instead of once per step.
 *
 * What stays as it was with one activity per step:
 * - each step is its own transaction under the instance's lock (runStep); a committed step is never
 *   applied again, since a step runs only a task still scheduled;
 * - each step has its task's own timeout: past it the step is given up and rolled back;
 * - a message (a person's completion, an override) is applied between two steps, never after the
 *   chain: its transaction queues for the instance's row lock as soon as it arrives, and gets it when
 *   the running step commits. The chain's next step then sees a revision it did not commit, and
 *   yields: it ends there, and the workflow plans again from the snapshot it gets back.
 * - a chain goes on only with the one machine task a step started (chainsInto), and starts no step
 *   after CHAIN_BUDGET_MS, so the workflow hears of its progress at least that often.
 * - a retried activity (its worker was killed) goes on from the step its last heartbeat named; the
 *   steps committed since are skipped as any retry's, and the workflow plans the rest.
 */
import { DEFAULT_MACHINE_TIMEOUT_MS } from "../graph/types.ts";
import { chainsInto } from "../interpreter/frontier.ts";
import { CHAIN_BUDGET_MS, type ChainProgress, type RunOutcome, type RunTaskInput } from "../interpreter/protocol.ts";
import type { OpenTask, Snapshot, StepOutcome } from "../interpreter/protocol.ts";
import { mustSnapshot } from "../store/instances.ts";
import type { ActivityContext } from "./context.ts";
import { type ChainNext, runStep, type StepInput } from "./machine.ts";

export interface ChainHooks {
  /** The activity's own signal: aborted when Temporal gives up on this attempt. */
  readonly signal?: AbortSignal;
  /** The previous attempt's last heartbeat details, if any. */
  readonly resumeFrom?: unknown;
  /** Called before each step with the chain's progress: the activity's heartbeat details. */
  readonly progress?: (progress: ChainProgress) => void;
}

export async function runChain(ctx: ActivityContext, input: RunTaskInput, hooks: ChainHooks = {}): Promise<RunOutcome> {
  const t0 = performance.now();
  const firstTimeoutMs = input.timeoutMs ?? DEFAULT_MACHINE_TIMEOUT_MS;
  const resumed = isChainProgress(hooks.resumeFrom) ? hooks.resumeFrom : undefined;
  const steps: StepOutcome[] = [...(resumed?.steps ?? [])];
  // The hook events of the steps committed so far (a retry's included): the workflow delivers them.
  const events: string[] = [...(resumed?.events ?? [])];
  let current: ChainNext = resumed?.next ?? { taskId: input.taskId, timeoutMs: firstTimeoutMs };
  let step: StepInput = current.taskId === input.taskId ? input : { ...input, taskId: current.taskId, at: Date.now() };
  // What the chain changed since the workflow's revision; null once a step could not say (then the last reads it all).
  let delta: Delta | null =
    !resumed && input.knownRevision !== undefined ? { base: input.knownRevision, closed: [], opened: [] } : null;
  const chainAfter: StepInput["chainAfter"] = (graph, started) =>
    performance.now() - t0 < CHAIN_BUDGET_MS ? chainsInto(graph, started, firstTimeoutMs) : null;
  for (;;) {
    hooks.progress?.({ steps, next: current, events });
    const timeout = AbortSignal.timeout(current.timeoutMs);
    const signal = hooks.signal ? AbortSignal.any([hooks.signal, timeout]) : timeout;
    let result: Awaited<ReturnType<typeof runStep>>;
    try {
      const deltaFrom = delta ? (step.afterRevision ?? delta.base) : undefined;
      result = await runStep(ctx, { ...step, chainAfter, deltaFrom }, signal);
    } catch (error) {
      // The first step's trouble is the activity's: Temporal runs it again after its retry pause. A later
      // one's ends the chain with what committed; the workflow plans that task again.
      if (step.afterRevision === undefined) throw error;
      return ended(steps, events, await mustSnapshot(ctx.db, input.workflowId));
    }
    if (result.step) steps.push(result.step);
    if (result.kind === "ended") return ended(steps, events, result.snapshot);
    events.push(...result.events);
    delta = delta && result.opened && extended(delta, result.step.taskId, result.opened);
    if (!result.next) {
      // Without a next step the step read no snapshot only because it could say what it opened.
      if (!delta) throw new Error("a chain's last step read no snapshot and has no delta");
      const { base, closed } = delta;
      const { revision, status } = result;
      return { steps, events, delta: { base, revision, status, closed, opened: delta.opened } };
    }
    current = result.next;
    step = { workflowId: input.workflowId, taskId: current.taskId, at: Date.now(), afterRevision: result.revision };
  }
}

/** The chain's end with the snapshot its last transaction read: its events join those of the steps before. */
function ended(steps: StepOutcome[], events: readonly string[], snapshot: Snapshot): RunOutcome {
  return { steps, events: [...events, ...(snapshot.events ?? [])], snapshot };
}

type Delta = { readonly base: number; readonly closed: readonly string[]; readonly opened: readonly OpenTask[] };

/** The delta after one more step: its task closed (and no longer among those the chain opened), its new tasks open. */
function extended(delta: Delta, closed: string, opened: readonly OpenTask[]): Delta {
  const stillOpen = delta.opened.filter((t) => t.id !== closed);
  return { base: delta.base, closed: [...delta.closed, closed], opened: [...stillOpen, ...opened] };
}

function isChainProgress(value: unknown): value is ChainProgress & { next: ChainNext } {
  const progress = value as Partial<ChainProgress> | null | undefined;
  return (
    Array.isArray(progress?.steps) &&
    typeof progress.next?.taskId === "string" &&
    typeof progress.next.timeoutMs === "number" &&
    (progress.events === undefined || Array.isArray(progress.events))
  );
}
