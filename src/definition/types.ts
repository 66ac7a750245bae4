import type { Kysely } from "kysely";
import type { z } from "zod";
import type { CompiledGraph, Rankdir } from "../graph/types.ts";
import type { JoeflowDatabase } from "../store/schema.ts";
import type { Duration } from "./duration.ts";
import type { Hooks } from "./hooks.ts";

/** The state of a workflow is described by a zod object. */
export type StateSchema = z.ZodObject;

/** The fields a human task may edit: the keys of the state. */
export type FieldName<State> = keyof State & string;

export interface TaskInfo {
  readonly id: string;
  readonly name: string;
  readonly created: Date;
  /** 1 on the first run, higher after `false` (not yet) or a rerun. */
  readonly attempt: number;
}

export interface WorkflowInfo {
  readonly id: string;
  readonly name: string;
  readonly created: Date;
}

/** What a machine task is given. `state` is a mutable copy; `db` the open transaction. */
export interface MachineContext<State, _Names extends string = string> {
  state: State;
  readonly task: TaskInfo;
  readonly workflow: WorkflowInfo;
  readonly db: Kysely<JoeflowDatabase>;
  /**
   * Aborted when this run is given up (its timeout passed, or the worker shuts down): pass it to
   * `fetch` and the like. Whatever the run does after that is rolled back.
   */
  readonly signal: AbortSignal;
}

/**
 * `undefined`/`true`: follow every outgoing edge; names: exactly those; `[]`: this branch ends;
 * `false`: not yet, run again later.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a machine task may be a function that returns nothing
export type MachineResult<Names extends string> = void | undefined | boolean | readonly Names[];

export type MachineFunction<State, Names extends string> = (
  context: MachineContext<State, Names>,
) => MachineResult<Names> | Promise<MachineResult<Names>>;

export interface PreviousTask {
  readonly id: string;
  readonly name: string;
  readonly completedByUser: string | null;
}

/**
 * One assignee: a user, or a group whose members see the task until one claims it. A plain string is
 * a user (as before groups existed).
 */
export type Assignee = string | { readonly user: string } | { readonly group: string };

/** Who may complete a human task, decided when the task is created. */
export type Assignees =
  | readonly Assignee[]
  | ((context: {
      state: Readonly<Record<string, unknown>>;
      previous: PreviousTask | undefined;
    }) => readonly Assignee[] | Promise<readonly Assignee[]>);

/**
 * When a human task is due: a duration after it opens ("2 days"), or a date from the state and the
 * time the task opens (the workflow's clock, which tests may skip ahead; not `Date.now()`).
 */
export type Due = Duration | ((state: Readonly<Record<string, unknown>>, task: { readonly created: Date }) => Date);

/**
 * What happens once a human task's due date passed; absent: it is only marked overdue. `goTo`: the
 * task is cancelled and these tasks open after it, as an override would; `reassign`: it goes to
 * these users or groups, unclaimed.
 */
export type OnDue = { readonly goTo: readonly string[] } | { readonly reassign: Assignees };

export interface BackoffOptions {
  /** First pause after `false`; default 1 s. */
  readonly initial?: Duration;
  /** Longest pause; default 1 h. */
  readonly max?: Duration;
}

export interface StartSpec {
  readonly kind: "start";
}
export interface StartViewSpec<F extends string> {
  readonly kind: "startView";
  readonly fields: readonly F[];
  /** What people read for the task, e.g. "Ship the order"; default from its name ("ship" → "Ship"). */
  readonly label?: string;
}
export interface UpdateViewSpec<F extends string> {
  readonly kind: "updateView";
  readonly fields: readonly F[];
  /** What people read for the task, e.g. "Ship the order"; default from its name ("ship" → "Ship"). */
  readonly label?: string;
  readonly assignees?: Assignees;
  readonly pickNext?: boolean;
  /** The state fields the form shows, read-only, as the case it decides; default: every field it does not edit. */
  readonly show?: readonly F[];
  /** Fields of `fields` the person must fill in: completing the task with one empty is refused. */
  readonly required?: readonly F[];
  /** When it is due; a permitted person may move it on an open task (the setDue message). */
  readonly due?: Due;
  /** What its due date passing does; absent: the task is only marked overdue. */
  readonly onDue?: OnDue;
}
export interface JoinSpec<N extends string> {
  readonly kind: "join";
  readonly parents: readonly N[];
}
export interface WaitSpec {
  readonly kind: "wait";
  readonly duration: Duration;
}

/** The workflow a sub-workflow task starts: any definition (its name, graph and state schema). */
export interface ChildWorkflow<C extends StateSchema = StateSchema> {
  readonly name: string;
  readonly graph: CompiledGraph;
  readonly state: C;
}

/**
 * A sub-workflow task: starts another workflow (a Temporal child workflow) with the state `input`
 * gives, and completes when that instance is done. `output` then updates this workflow's state from
 * the child's: it may change `state` (a copy) or return the fields to change.
 */
export interface SubflowSpec<State> {
  readonly kind: "subflow";
  readonly workflow: ChildWorkflow;
  // Methods, not function properties: a spec made for one child's state fits the record of any.
  input(state: State): unknown;
  // biome-ignore lint/suspicious/noConfusingVoidType: like a machine task, output may only change the state
  output?(state: State, child: Record<string, unknown>): Partial<State> | void;
}

/** What a definition's `tasks` record may hold for one task. */
export type TaskInput<State, N extends string> =
  | MachineFunction<State, N>
  | StartSpec
  | StartViewSpec<FieldName<State>>
  | UpdateViewSpec<FieldName<State>>
  | JoinSpec<N>
  | WaitSpec
  | SubflowSpec<State>;

export interface WorkflowOptions<S extends StateSchema, N extends string> {
  /** URL namespace and Temporal workflow-id prefix: lower case letters, digits, `_` and `-`. */
  readonly name: string;
  readonly state: S;
  readonly tasks: { readonly [K in N]: TaskInput<z.output<S>, NoInfer<N>> };
  readonly edges: readonly (readonly [NoInfer<N>, NoInfer<N>])[];
  /** Per machine task: how long to pause after it returns `false` (default 1 s doubling to 1 h). */
  readonly backoff?: { readonly [K in NoInfer<N>]?: BackoffOptions };
  /**
   * Per machine task: how long one run may take before Temporal gives up on it and runs it again
   * (default 10 minutes). Set it above the task's longest honest run: a run cut short may still
   * commit, and then the next one finds the task done and skips it.
   */
  readonly timeouts?: { readonly [K in NoInfer<N>]?: Duration };
  /** Graph direction; default left to right. */
  readonly rankdir?: Rankdir;
  /**
   * An instance's title in lists and pages (joeflow's `__str__`), e.g. `(s) => \`Order to ${s.city}\``;
   * kept up to date with each state change and searchable in the inbox. At most 200 characters are
   * kept; one that throws or gives no text counts as none: "<Workflow label> <short id>".
   */
  readonly title?: (state: z.output<S>) => string;
  /**
   * Hooks on this workflow's events, run by the worker after the change commits, never inside its
   * transaction: at least once, retried with backoff, and a failing hook never holds the workflow up.
   */
  readonly on?: Hooks<z.output<S>>;
}

/** A machine task called directly, as in a unit test: only `state` is needed. */
export type DirectContext<State> = { state: State } & Partial<Omit<MachineContext<State>, "state">>;

/**
 * A task of a definition. Machine tasks (functions, start, join, wait) can be called directly;
 * calling a human task throws a TypeError.
 */
export interface TaskHandle<State, N extends string> {
  (context: DirectContext<State>): Promise<MachineResult<N>>;
  readonly taskName: N;
  readonly kind: "start" | "startView" | "updateView" | "machine" | "join" | "wait" | "subflow";
  readonly type: "human" | "machine";
}
