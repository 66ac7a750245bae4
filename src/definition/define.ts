import type { z } from "zod";
import { hash128 } from "../graph/hash.ts";
import { type Backoff, type CompiledGraph, type CompiledTask, DEFAULT_BACKOFF, type Rankdir } from "../graph/types.ts";
import { graphProblems } from "./check.ts";
import { compileDue, type DueRuntime } from "./due.ts";
import { type Duration, tryDurationMs } from "./duration.ts";
import { WorkflowDefinitionError } from "./errors.ts";
import { type Hooks, hookProblems } from "./hooks.ts";
import { compileSubflow } from "./subflows.ts";
import type {
  Assignees,
  BackoffOptions,
  DirectContext,
  MachineContext,
  MachineFunction,
  MachineResult,
  StateSchema,
  SubflowSpec,
  TaskHandle,
  TaskInput,
  WorkflowOptions,
} from "./types.ts";

type AnyState = Record<string, unknown>;
type AnyMachine = MachineFunction<AnyState, string>;

/** The runtime half of a task: what cannot travel in the compiled graph. */
export interface TaskRuntime extends DueRuntime {
  readonly run?: AnyMachine;
  readonly assignees?: Assignees;
  /** A sub-workflow task's child and its functions (see tasks.subflow). */
  readonly subflow?: SubflowSpec<AnyState>;
}

/** What the client, the worker and the web app need of any definition, whatever its types. */
export interface AnyWorkflow {
  readonly name: string;
  readonly state: StateSchema;
  readonly rankdir: Rankdir;
  readonly edges: readonly (readonly [string, string])[];
  readonly graph: CompiledGraph;
  readonly runtime: ReadonlyMap<string, TaskRuntime>;
  /** The instance's title from its state (see WorkflowOptions.title); instanceTitle guards the call. */
  readonly title?: (state: Record<string, unknown>) => unknown;
  /** The definition's hooks on its events (see WorkflowOptions.on); `{}` when it has none. */
  readonly on: Hooks;
}

export interface WorkflowDefinition<S extends StateSchema = StateSchema, N extends string = string>
  extends AnyWorkflow {
  readonly state: S;
  readonly tasks: { readonly [K in N]: TaskHandle<z.output<S>, N> };
  readonly edges: readonly (readonly [N, N])[];
}

/** Describes a workflow; checks it at once and throws one WorkflowDefinitionError naming every problem. */
export function defineWorkflow<S extends StateSchema, N extends string>(
  options: WorkflowOptions<S, N>,
): WorkflowDefinition<S, N> {
  const problems: string[] = [];
  const compiledTasks: Record<string, CompiledTask> = {};
  const runtime = new Map<string, TaskRuntime>();
  const inputs = Object.entries(options.tasks) as [string, TaskInput<AnyState, string>][];
  const backoffOptions: Readonly<Record<string, BackoffOptions | undefined>> = options.backoff ?? {};
  const timeouts: Readonly<Record<string, Duration | undefined>> = options.timeouts ?? {};
  for (const [option, names] of [
    ["backoff", Object.keys(backoffOptions)],
    ["a timeout", Object.keys(timeouts)],
  ] as const) {
    for (const name of names) {
      if (typeof Object.getOwnPropertyDescriptor(options.tasks, name)?.value !== "function") {
        problems.push(`${option} is set for "${name}", which is not a machine function`);
      }
    }
  }
  for (const [name, input] of inputs) {
    const { compiled, parts } = compileTask(
      name,
      input,
      { backoff: backoffOptions[name], timeout: timeouts[name] },
      problems,
    );
    compiledTasks[name] = compiled;
    runtime.set(name, parts);
  }
  if (options.title !== undefined && typeof options.title !== "function")
    problems.push("title must be a function of the state");
  const edges = options.edges.map(([from, to]) => [from, to] as const);
  const graph = freezeGraph(options.name, options.rankdir ?? "LR", compiledTasks, edges);
  problems.push(...graphProblems(graph, Object.keys(options.state.shape)));
  problems.push(...hookProblems(options.on, "workflow"));
  if (problems.length) throw new WorkflowDefinitionError(options.name, problems);
  const handles = Object.fromEntries(
    Object.entries(compiledTasks).map(([name, task]) => [name, taskHandle(name, task, runtime.get(name)!)]),
  ) as WorkflowDefinition<S, N>["tasks"];
  return Object.freeze({
    name: options.name,
    state: options.state,
    rankdir: graph.rankdir,
    edges: options.edges,
    tasks: handles,
    graph,
    runtime,
    ...(options.title ? { title: options.title as (state: Record<string, unknown>) => unknown } : {}),
    // The hooks' events carry this workflow's state: seen from any workflow, it is a plain record.
    on: Object.freeze({ ...(options.on ?? {}) }) as Hooks,
  });
}

function compileTask(
  name: string,
  input: TaskInput<AnyState, string>,
  machineOptions: { backoff?: BackoffOptions; timeout?: Duration },
  problems: string[],
): { compiled: CompiledTask; parts: TaskRuntime } {
  if (typeof input === "function") {
    const timeoutMs =
      machineOptions.timeout === undefined ? undefined : timeout(name, machineOptions.timeout, problems);
    return {
      compiled: {
        kind: "machine",
        type: "machine",
        backoff: backoff(name, machineOptions.backoff, problems),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      },
      parts: { run: input },
    };
  }
  switch (input.kind) {
    case "start":
      return { compiled: { kind: "start", type: "machine" }, parts: {} };
    case "startView":
      return {
        compiled: { kind: "startView", type: "human", fields: [...input.fields], ...labelled(name, input, problems) },
        parts: {},
      };
    case "updateView": {
      const due = compileDue(name, input, problems);
      return {
        compiled: {
          kind: "updateView",
          type: "human",
          fields: [...input.fields],
          ...labelled(name, input, problems),
          ...(input.pickNext ? { pickNext: true } : {}),
          // Only when given: the graph's hash (its version) stays that of a definition without them.
          ...(input.show ? { show: [...input.show] } : {}),
          ...(input.required?.length ? { required: [...input.required] } : {}),
          ...due.compiled,
        },
        parts: { assignees: input.assignees, ...due.runtime },
      };
    }
    case "join":
      return { compiled: { kind: "join", type: "machine", parents: [...input.parents] }, parts: {} };
    case "subflow":
      return compileSubflow(name, input, problems);
    case "wait": {
      const ms = tryDurationMs(input.duration);
      if (ms === undefined)
        problems.push(`wait "${name}" has an unreadable duration ${JSON.stringify(input.duration)}`);
      return { compiled: { kind: "wait", type: "machine", ms: ms ?? 0 }, parts: {} };
    }
    default:
      problems.push(`task "${name}" is neither a function nor a task kind`);
      return { compiled: { kind: "start", type: "machine" }, parts: {} };
  }
}

/** A human task's label, when it has one; a label that is no text is a problem of the definition. */
function labelled(name: string, input: { readonly label?: unknown }, problems: string[]): { label?: string } {
  if (input.label === undefined) return {};
  if (typeof input.label === "string" && input.label.trim()) return { label: input.label.trim() };
  problems.push(`task "${name}" has a label that is no text`);
  return {};
}

function backoff(name: string, options: BackoffOptions | undefined, problems: string[]): Backoff {
  const initialMs = options?.initial === undefined ? DEFAULT_BACKOFF.initialMs : tryDurationMs(options.initial);
  const maxMs = options?.max === undefined ? DEFAULT_BACKOFF.maxMs : tryDurationMs(options.max);
  if (initialMs === undefined || maxMs === undefined || initialMs <= 0 || maxMs < initialMs) {
    problems.push(`task "${name}" has an invalid backoff (initial must be > 0 and <= max)`);
    return DEFAULT_BACKOFF;
  }
  return { initialMs, maxMs };
}

function timeout(name: string, duration: Duration, problems: string[]): number | undefined {
  const ms = tryDurationMs(duration);
  if (ms === undefined || ms < 1_000) {
    problems.push(`task "${name}" has an invalid timeout ${JSON.stringify(duration)} (at least 1 second)`);
    return undefined;
  }
  return ms;
}

function freezeGraph(
  name: string,
  rankdir: Rankdir,
  tasks: Record<string, CompiledTask>,
  edges: readonly (readonly [string, string])[],
): CompiledGraph {
  const body = { name, rankdir, tasks, edges };
  return JSON.parse(JSON.stringify({ ...body, version: hash128(JSON.stringify(body)) })) as CompiledGraph;
}

function taskHandle<State, N extends string>(
  name: string,
  task: CompiledTask,
  parts: TaskRuntime,
): TaskHandle<State, N> {
  const call = async (context: DirectContext<State>): Promise<MachineResult<N>> => {
    if (task.type === "human")
      throw new TypeError(`"${name}" is a human task (${task.kind}); only machine tasks can be called`);
    if (!parts.run) return undefined;
    // A unit test passes only the state: give the function a signal it can listen to all the same.
    const full = { signal: new AbortController().signal, ...context };
    return (await parts.run(full as unknown as MachineContext<AnyState, string>)) as MachineResult<N>;
  };
  return Object.assign(call, { taskName: name as N, kind: task.kind, type: task.type });
}
