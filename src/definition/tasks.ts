import type { z } from "zod";
import type {
  Assignees,
  ChildWorkflow,
  Due,
  JoinSpec,
  OnDue,
  StartSpec,
  StartViewSpec,
  StateSchema,
  SubflowSpec,
  UpdateViewSpec,
  WaitSpec,
} from "./types.ts";
import type { Duration } from "./duration.ts";

/**
 * The task kinds besides plain functions (machine tasks). Spelled out rather than inferred from
 * `tasks` because JSR rejects exports whose type it would have to infer ("slow types").
 */
export interface TaskKinds {
  /** A machine start task: the workflow is started from code with `joeflow.start`. */
  start(): StartSpec;
  /** A human start task: a form with these state fields starts the workflow. */
  startView<const F extends string>(options: { fields: readonly F[]; label?: string }): StartViewSpec<F>;
  /**
   * A human task: a form with these state fields, optionally for certain users only. With
   * `pickNext`, the person picks which outgoing edge to follow (its form shows one button each).
   * `show` picks the state fields the form shows read-only (default: all it does not edit);
   * `required` lists fields the person must fill in, on the form and through the API alike.
   * `due` ("2 days", or a date from the state) makes it due; `onDue` says what its passing does: go to
   * other tasks (`{ goTo: [...] }`), reassign it (`{ reassign: [...] }`), or by default only mark it overdue.
   */
  updateView<const F extends string>(options: {
    fields: readonly F[];
    /** What people read for the task, e.g. "Ship the order"; default from its name. */
    label?: string;
    assignees?: Assignees;
    pickNext?: boolean;
    show?: readonly F[];
    required?: readonly F[];
    due?: Due;
    onDue?: OnDue;
  }): UpdateViewSpec<F>;
  /** Waits for every listed parent before going on. */
  join<const P extends string>(...parents: P[]): JoinSpec<P>;
  /** Waits this long (a durable timer), then goes on. */
  wait(duration: Duration): WaitSpec;
  /**
   * Starts an instance of another workflow (served by the same worker, started by its `tasks.start()`)
   * as a Temporal child workflow, and completes when it is done. `input` makes the child's state from
   * this one's; `output` updates this state from the child's (change `state`, or return the fields to
   * change). A child that ends canceled fails the task; a rerun starts a new child.
   */
  subflow<State, C extends StateSchema>(
    workflow: ChildWorkflow<C>,
    options: {
      input: (state: State) => z.input<C>;
      // biome-ignore lint/suspicious/noConfusingVoidType: like a machine task, output may only change the state
      output?: (state: State, child: z.output<C>) => Partial<State> | void;
    },
  ): SubflowSpec<State>;
}

/** The task kinds besides plain functions (machine tasks). */
export const tasks: TaskKinds = {
  start() {
    return { kind: "start" };
  },
  startView(options) {
    return { kind: "startView", fields: [...options.fields], label: options.label };
  },
  updateView(options) {
    return {
      kind: "updateView",
      fields: [...options.fields],
      label: options.label,
      assignees: options.assignees,
      pickNext: options.pickNext,
      show: options.show && [...options.show],
      required: options.required && [...options.required],
      due: options.due,
      onDue: options.onDue,
    };
  },
  join(...parents) {
    return { kind: "join", parents };
  },
  wait(duration) {
    return { kind: "wait", duration };
  },
  subflow(workflow, options) {
    // The child's state type is the definition's business; the spec keeps the functions as given.
    return { kind: "subflow", workflow, input: options.input, output: options.output } as SubflowSpec<never>;
  },
};
