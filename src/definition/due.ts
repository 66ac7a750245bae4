/**
 * Due dates of human tasks: what a definition's `due` and `onDue` compile to (the graph holds what is
 * data, the definition keeps the functions), and the date a new task is due.
 */
import type { CompiledTask } from "../graph/types.ts";
import { tryDurationMs } from "./duration.ts";
import type { Assignees, Due, OnDue } from "./types.ts";

type UpdateView = Extract<CompiledTask, { kind: "updateView" }>;

/** The runtime half of a task's due date: what cannot travel in the compiled graph. */
export interface DueRuntime {
  /** `due` as a function of the state. */
  readonly dueFrom?: Extract<Due, (...args: never[]) => Date>;
  /** `onDue.reassign`: who the task goes to once due. */
  readonly dueAssignees?: Assignees;
}

export function compileDue(
  name: string,
  spec: { readonly due?: Due; readonly onDue?: OnDue },
  problems: string[],
): { compiled: Pick<UpdateView, "due" | "onDue">; runtime: DueRuntime } {
  const { due, onDue } = spec;
  if (due === undefined) {
    if (onDue !== undefined) problems.push(`task "${name}" has onDue but no due date`);
    return { compiled: {}, runtime: {} };
  }
  const compiled: { due?: UpdateView["due"]; onDue?: UpdateView["onDue"] } = {};
  const runtime: { dueFrom?: DueRuntime["dueFrom"]; dueAssignees?: Assignees } = {};
  if (typeof due === "function") {
    compiled.due = { fromState: true };
    runtime.dueFrom = due;
  } else {
    const afterMs = tryDurationMs(due);
    if (afterMs === undefined || afterMs <= 0)
      problems.push(`task "${name}" has an unreadable due ${JSON.stringify(due)}`);
    compiled.due = { afterMs: afterMs ?? 0 };
  }
  if (onDue === undefined) return { compiled, runtime };
  if (onDue !== null && typeof onDue === "object" && "goTo" in onDue && Array.isArray(onDue.goTo)) {
    compiled.onDue = { goTo: [...onDue.goTo] };
  } else if (onDue !== null && typeof onDue === "object" && "reassign" in onDue && onDue.reassign !== undefined) {
    compiled.onDue = { reassign: true };
    runtime.dueAssignees = onDue.reassign;
  } else {
    problems.push(`task "${name}" has an onDue that is neither { goTo: [...] } nor { reassign: ... }`);
  }
  return { compiled, runtime };
}

/**
 * When a task opening at `at` is due; undefined when it has no due date. A `due` function that throws
 * or gives no valid date counts as none (and says so): the task opens all the same, as with a title.
 */
export function dueDateOf(
  task: CompiledTask | undefined,
  runtime: DueRuntime | undefined,
  state: Readonly<Record<string, unknown>>,
  at: Date,
): Date | undefined {
  if (task?.kind !== "updateView" || !task.due) return undefined;
  if ("afterMs" in task.due) return new Date(at.getTime() + task.due.afterMs);
  try {
    const date = runtime?.dueFrom?.(structuredClone(state), { created: at });
    if (date instanceof Date && !Number.isNaN(date.getTime())) return date;
    console.warn(`joeflow: the due date of a task is no valid Date (${String(date)}); it has none`);
  } catch (error) {
    console.warn(`joeflow: the due date of a task could not be computed (${String(error)}); it has none`);
  }
  return undefined;
}
