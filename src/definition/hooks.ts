/**
 * Hooks on task events: what a definition's (or a worker's) `on` may hold, and the events they get.
 * Pure types and names. Events are JSON (dates as ISO strings), so a webhook posts them as they are.
 */

export const HOOK_EVENT_KINDS = [
  "taskScheduled",
  "taskCompleted",
  "taskFailed",
  "taskCanceled",
  "taskOverdue",
  "workflowDone",
  "workflowCanceled",
  "overridden",
] as const;

export type HookEventKind = (typeof HOOK_EVENT_KINDS)[number];
export type TaskEventKind = Extract<HookEventKind, `task${string}`>;
export type WorkflowEventKind = Exclude<HookEventKind, TaskEventKind>;

export function isHookEventKind(kind: string): kind is HookEventKind {
  return (HOOK_EVENT_KINDS as readonly string[]).includes(kind);
}

/** The task an event is about, as the change left it. */
export interface HookTask {
  readonly id: string;
  readonly name: string;
  readonly type: "human" | "machine";
  readonly status: "scheduled" | "succeeded" | "failed" | "canceled";
  readonly attempt: number;
  readonly assignees: readonly string[];
  /** "Error: Boom!" for a failed task, else null. */
  readonly exception: string | null;
}

interface EventBase<K extends HookEventKind, State> {
  readonly kind: K;
  /** The same for every delivery of this event (and for the worker's and the definition's hook). */
  readonly idempotencyKey: string;
  readonly workflow: { readonly name: string; readonly id: string; readonly status: "running" | "done" | "canceled" };
  /** Who made the change: the task's person, the message's sender; null for the engine's own steps. */
  readonly user: string | null;
  /** When the change committed, ISO 8601. */
  readonly at: string;
  /** The instance's revision after the change: events of one instance order by it. */
  readonly revision: number;
  /** The state after the change. */
  readonly state: State;
}

export type TaskEvent<State = Record<string, unknown>, K extends TaskEventKind = TaskEventKind> = K extends unknown
  ? EventBase<K, State> & { readonly task: HookTask }
  : never;
export type WorkflowEvent<
  State = Record<string, unknown>,
  K extends WorkflowEventKind = WorkflowEventKind,
> = K extends unknown ? EventBase<K, State> : never;

/** What a hook receives: a tagged union on `kind`. */
export type HookEvent<State = Record<string, unknown>> = TaskEvent<State> | WorkflowEvent<State>;

export interface HookContext {
  /** Aborted when this attempt is given up (its time is up or the worker stops). */
  readonly signal: AbortSignal;
  /** 1 on the first delivery, higher on retries. */
  readonly attempt: number;
}

export type Hook<E> = (event: E, context: HookContext) => void | Promise<void>;

/** `on: { taskScheduled: (event) => ..., ... }`: each hook gets the events of its kind. */
export type Hooks<State = Record<string, unknown>> = {
  readonly [K in HookEventKind]?: Hook<Extract<HookEvent<State>, { kind: K }>>;
};

/** Which kinds a set of hooks listens to (the rest cost nothing: no row is written for them). */
export function hookKinds(hooks: Hooks<never> | undefined): HookEventKind[] {
  if (!hooks) return [];
  return HOOK_EVENT_KINDS.filter((kind) => typeof hooks[kind] === "function");
}

/** Problems of an `on` option: unknown kinds, hooks that are not functions. */
export function hookProblems(hooks: object | undefined, owner: string): string[] {
  if (hooks === undefined) return [];
  if (hooks === null || typeof hooks !== "object") return [`${owner} "on" must be an object of hooks`];
  return Object.entries(hooks).flatMap(([kind, hook]) => {
    if (!isHookEventKind(kind)) return [`${owner} "on.${kind}" is no event (one of ${HOOK_EVENT_KINDS.join(", ")})`];
    if (typeof hook !== "function") return [`${owner} "on.${kind}" must be a function`];
    return [];
  });
}
