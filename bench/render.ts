/**
 * How long the SVG of a 100-task instance takes: cold (the first call, which loads Graphviz's
 * WebAssembly) and warm (median and p99 of 50 calls). Goal: warm <= 50 ms. Run: npx tsx bench/render.ts
 */
import { defineWorkflow, type TaskView, tasks, type WorkflowView } from "joeflow";
import { instanceGraph, renderSvg } from "joeflow/render";
import { z } from "zod";
import { ms, percentile } from "./support/run.ts";

const [GOAL_MS, RUNS, WARMUP, STAGES, WIDTH] = [50, 50, 5, 33, 3];
const FAILED = "stage_20_lane_2";

// A start task and 33 stages of 3 tasks, each feeding two of the next stage: 100 tasks, 195 edges.
const names = (stage: number) => Array.from({ length: WIDTH }, (_, lane) => `stage_${stage}_lane_${lane}`);
type Spec = ReturnType<typeof tasks.start> | ReturnType<typeof tasks.updateView<"note">> | (() => void);
const spec: Record<string, Spec> = { start: tasks.start() };
const edges: [string, string][] = names(0).map((to) => ["start", to]);
for (let stage = 0; stage < STAGES; stage++) {
  const next = names(stage + 1);
  names(stage).forEach((name, lane) => {
    spec[name] = lane === 1 ? tasks.updateView({ fields: ["note"] }) : () => {};
    if (stage + 1 < STAGES) edges.push([name, next[lane]!], [name, next[(lane + 1) % WIDTH]!]);
  });
}
const workflow = defineWorkflow({ name: "big", state: z.object({ note: z.string().optional() }), tasks: spec, edges });

// An instance: every task ran once along the edges; the last stage is open and one task failed on the way.
const { graph } = workflow;
const [at, order] = [new Date(0), ["start", ...Object.keys(graph.tasks).filter((name) => name !== "start")]];
const id = (name: string) => `task-${order.indexOf(name)}`;
const stamps = { created: at, modified: at };
const base = { ...stamps, workflowId: "big-1", assignees: [], groups: [], claimedBy: null, completedByUser: null };
const failure = { stacktrace: null, attempt: 1, due: null, overdue: false };
const taskViews = order.map((name): TaskView => {
  const parent = graph.edges.find(([, to]) => to === name)?.[0];
  const [last, failed] = [name.startsWith(`stage_${STAGES - 1}_`), name === FAILED];
  const status = failed ? "failed" : last ? "scheduled" : "succeeded";
  const exception = failed ? "Error: boom" : null;
  const more = { parentIds: parent ? [id(parent)] : [], completed: last ? null : at, exception };
  return { ...base, ...failure, ...more, id: id(name), name, type: graph.tasks[name]!.type, status };
});
const instance = {
  id: "big-1",
  name: "big",
  title: "Big 1",
  status: "running",
  state: {},
  graphVersion: graph.version,
} as const;
const view: WorkflowView = { ...stamps, ...instance, tasks: taskViews, hooks: [] };

const taskUrl = (task: TaskView) => (task.status === "scheduled" ? `/big/${task.name}/${task.id}/` : undefined);
const dot = () => instanceGraph(workflow, view, { taskUrl });
const render = () => renderSvg(dot());

/** `runs` calls of `f`: the wall time of each (what a page waits), and CPU time (a busy machine or slow code?). */
async function time(f: () => unknown, runs: number) {
  const [wall, cpu]: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    const [t0, cpu0] = [performance.now(), process.cpuUsage()];
    await f();
    wall.push(performance.now() - t0);
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

const t0 = performance.now();
const svg = await render();
const cold = performance.now() - t0;
await time(render, WARMUP); // let the JIT settle before measuring
const warm = await time(render, RUNS);
const dotOnly = await time(dot, RUNS); // the DOT text alone, to tell building the graph from Graphviz's layout

const [median, p99] = [percentile(warm.wall, 50), percentile(warm.wall, 99)];
const spread = (values: number[]) => `median ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}`;
console.log(
  `SVG of a ${view.tasks.length}-task instance (${Object.keys(graph.tasks).length} tasks, ` +
    `${graph.edges.length} edges in the definition; ${Math.round(svg.length / 1024)} KiB of SVG)\n` +
    `cold (first call, loads the WASM): ${ms(cold)}\n` +
    `warm, ${RUNS} runs after ${WARMUP} unmeasured: ${spread(warm.wall)}, min ${ms(percentile(warm.wall, 0))}\n` +
    `  CPU time of this process: ${spread(warm.cpu)}\n  of which the DOT text: ${spread(dotOnly.wall)}`,
);
const verdict = p99 <= GOAL_MS ? "met" : median <= GOAL_MS ? "median met, p99 not" : "missed";
console.log(
  `goal warm <= ${GOAL_MS} ms: median at ${(median / GOAL_MS).toFixed(2)}x, ` +
    `p99 at ${(p99 / GOAL_MS).toFixed(2)}x of the goal (${verdict})`,
);
