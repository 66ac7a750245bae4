/**
 * The ONE Temporal workflow: it interprets the compiled graph it is given. Imports only
 * @temporalio/workflow and pure code; the activities are imported as types.
 */
import {
  allHandlersFinished, ApplicationFailure, CancellationScope, condition, continueAsNew, isCancellation, log,
  proxyActivities, proxyLocalActivities, setHandler, sleep, uuid4, workflowInfo,
} from "@temporalio/workflow";
import type { Activities } from "../activities/mod.ts";
import { type ErrorData, errorFromData } from "../errors.ts";
import { backoffOf, nextBackoff, readiness, timeoutOf } from "./frontier.ts";
import { messageDefinitions, pendingQuery, startedUpdate } from "./messages.ts";
import type {
  BackoffState, InterpreterInput, MessageArgs, MessageName, MessageResult, OpenTask, Outcome, Pending, Snapshot,
} from "./protocol.ts";

const RETRY = { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute" } as const;

/**
 * Machine tasks run the user's code: ordinary activities, visible and timed out on the server, with
 * the timeout the task's definition asks for.
 */
function machine(timeoutMs: number): Pick<Activities, "runTask"> {
  return proxyActivities({ startToCloseTimeout: timeoutMs, retry: RETRY });
}

/**
 * Our own short transactions (create the instance, apply a message) run as local activities: in the
 * same workflow task as the update that asked for them, so a reply costs one server round trip, not
 * three. Each is idempotent, so the re-run after a lost workflow task changes nothing twice.
 */
const local = proxyLocalActivities<Omit<Activities, "runTask">>({ startToCloseTimeout: "1 minute", retry: RETRY });

const DEFAULT_HISTORY_LIMIT = 10_000;

interface Timer { readonly name: string; readonly dueAt: number; readonly reason: "wait" | "backoff"; readonly scope: CancellationScope }

export async function joeflowInterpreter(input: InterpreterInput): Promise<void> {
  const { graph, workflowId } = input;
  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  let snapshot: Snapshot | null = input.kind === "resume" ? input.snapshot ?? null : null;
  let started = snapshot !== null;
  let changed = false;
  let draining = false;
  const backoff = new Map<string, BackoffState>(input.kind === "resume" ? (input.backoff ?? []).map((b) => [b.taskId, b]) : []);
  const running = new Map<string, string>();
  const timers = new Map<string, Timer>();
  const claimed = new Set<string>();

  function apply(next: Snapshot | null): void {
    if (next && (!snapshot || next.revision >= snapshot.revision)) snapshot = next;
    changed = true;
  }

  function settle(outcome: Outcome<{ taskId: string | null }>): MessageResult {
    apply(outcome.snapshot);
    if (!outcome.ok) throw failure(outcome.error);
    return { taskId: outcome.value.taskId, status: snapshot!.status };
  }

  function scheduled(): OpenTask[] {
    return (snapshot?.open ?? []).filter((t) => t.status === "scheduled");
  }

  function reconcile(): void {
    const open = new Set(scheduled().map((t) => t.id));
    // Draining for continue-as-new cancels every timer: the next run restarts them from the deadlines.
    for (const [id, timer] of timers) if (draining || !open.has(id)) timer.scope.cancel();
    for (const id of backoff.keys()) if (!open.has(id)) backoff.delete(id);
    if (draining) return;
    for (const task of scheduled()) {
      if (running.has(task.id) || timers.has(task.id)) continue;
      const ready = readiness(graph, task, backoff.get(task.id), Date.now());
      if (ready.kind === "run") dispatch(task);
      else if (ready.kind === "timer") startTimer(task, ready.dueAt, ready.reason);
    }
  }

  function dispatch(task: OpenTask): void {
    running.set(task.id, task.name);
    const previous = backoff.get(task.id);
    machine(timeoutOf(graph, task.name)).runTask({ workflowId, taskId: task.id, at: Date.now(), notYetCount: previous?.count ?? 0 })
      .then((result) => {
        apply(result.snapshot);
        if (result.outcome === "notYet") backoff.set(task.id, nextBackoff(previous, task.id, backoffOf(graph, task.name), Date.now()));
        else backoff.delete(task.id);
      })
      .catch((error: unknown) => log.error("machine task activity gave up", { taskId: task.id, error: String(error) }))
      .finally(() => {
        running.delete(task.id);
        changed = true;
      });
  }

  function startTimer(task: OpenTask, dueAt: number, reason: Timer["reason"]): void {
    const scope = new CancellationScope();
    timers.set(task.id, { name: task.name, dueAt, reason, scope });
    scope.run(() => sleep(Math.max(1, dueAt - Date.now())))
      .catch((error: unknown) => {
        if (!isCancellation(error)) throw error;
      })
      .finally(() => {
        timers.delete(task.id);
        changed = true;
      });
  }

  async function whenStarted(): Promise<void> {
    await condition(() => started);
  }

  const handlers: { [K in MessageName]: (args: MessageArgs[K]) => Promise<MessageResult> } = {
    async completeTask(args) {
      if (claimed.has(args.taskId)) throw failure({ code: "TaskNotOpen", taskId: args.taskId, status: "being completed" });
      claimed.add(args.taskId); // claimed before the first await: a second completion sees it
      try {
        await whenStarted();
        return settle(await local.completeHuman({
          workflowId, taskId: args.taskId, data: args.data ?? {}, user: args.user ?? null, next: args.next, at: Date.now(),
        }));
      } finally {
        claimed.delete(args.taskId);
      }
    },
    async override(args) {
      await whenStarted();
      return settle(await local.override({
        workflowId, overrideTaskId: uuid4(), state: args.state, next: args.next ?? [], user: args.user ?? null, at: Date.now(),
      }));
    },
    async rerun(args) {
      await whenStarted();
      backoff.delete(args.taskId);
      return settle(await local.rerun({ workflowId, taskId: args.taskId, user: args.user ?? null, at: Date.now() }));
    },
    async cancelTask(args) {
      await whenStarted();
      return settle(await local.cancelTask({ workflowId, taskId: args.taskId, user: args.user ?? null, at: Date.now() }));
    },
    async cancelWorkflow(args) {
      await whenStarted();
      return settle(await local.cancelWorkflow({ workflowId, user: args?.user ?? null, at: Date.now() }));
    },
  };
  registerMessages(handlers);
  setHandler(startedUpdate, async () => {
    await whenStarted();
    return snapshot!.status;
  });
  setHandler(pendingQuery, (): Pending => ({
    ...pending(snapshot, started, running, timers),
    blocked: scheduled().filter((t) => readiness(graph, t, undefined, Date.now()).kind === "blocked")
      .map((t) => ({ taskId: t.id, name: t.name })),
    continuingAsNew: draining,
  }));

  if (input.kind === "start") {
    apply(await local.createInstance({
      workflowId, graph, task: input.task, taskId: uuid4(), state: input.state, user: input.user, at: Date.now(),
    }));
  } else if (!snapshot) {
    apply(await local.loadSnapshot({ workflowId }));
  }
  started = true;

  const finished = () => (snapshot?.open.length ?? 0) === 0 && running.size === 0 && timers.size === 0;
  const shouldRoll = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit;
  for (;;) {
    reconcile();
    await condition(() => changed || shouldRoll());
    changed = false;
    if (finished()) {
      await condition(allHandlersFinished);
      if (finished()) return;
    } else if (shouldRoll()) {
      draining = true;
      reconcile();
      await condition(() => running.size === 0 && timers.size === 0 && allHandlersFinished());
      await continueAsNew<typeof joeflowInterpreter>({
        kind: "resume", workflowId, graph, snapshot: snapshot ?? undefined, backoff: [...backoff.values()], historyLimit,
      });
    }
  }
}

function registerMessages(handlers: { [K in MessageName]: (args: MessageArgs[K]) => Promise<MessageResult> }): void {
  for (const name of Object.keys(handlers) as MessageName[]) {
    const { signal, update } = messageDefinitions(name);
    const handler = handlers[name] as (args: MessageArgs[MessageName]) => Promise<MessageResult>;
    setHandler(update, handler);
    setHandler(signal, async (args) => {
      try {
        await handler(args);
      } catch (error) {
        log.warn(`signal ${name} was not applied`, { error: String(error) });
      }
    });
  }
}

/** An update must fail with an ApplicationFailure: a plain Error would fail the workflow task instead. */
function failure(error: ErrorData): ApplicationFailure {
  return ApplicationFailure.create({ type: error.code, message: errorFromData(error).message, details: [error], nonRetryable: true });
}

function pending(
  snapshot: Snapshot | null, started: boolean, running: Map<string, string>, timers: Map<string, Timer>,
): Omit<Pending, "blocked" | "continuingAsNew"> {
  const open = snapshot?.open ?? [];
  return {
    now: Date.now(),
    started,
    activities: [...running].map(([taskId, name]) => ({ taskId, name })),
    timers: [...timers].map(([taskId, t]) => ({ taskId, name: t.name, dueAt: t.dueAt, reason: t.reason })),
    humans: open.filter((t) => t.status === "scheduled" && t.type === "human").map((t) => ({ taskId: t.id, name: t.name })),
    failed: open.filter((t) => t.status === "failed").map((t) => ({ taskId: t.id, name: t.name })),
    handlers: allHandlersFinished() ? 0 : 1,
  };
}
