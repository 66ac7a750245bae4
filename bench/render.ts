/**
 * How long the SVG of a 100-task instance takes: cold (the first call, which loads Graphviz's
 * WebAssembly) and warm (median and p99 of 50 calls). Goal: warm <= 50 ms.
 * Run: npx tsx bench/render.ts
 */
import { defineWorkflow, type TaskView, type WorkflowView, tasks } from "joeflow";
import { instanceGraph, renderSvg } from "joeflow/render";
import { z } from "zod";

const GOAL_MS = 50;
const RUNS = 50;
const WARMUP = 5;
const STAGES = 33;
const WIDTH = 3;

/** A start task and 33 stages of 3 tasks, each feeding two of the next stage: 100 tasks, 200 edges. */
function bigWorkflow() {
  const names = (stage: number) => Array.from({ length: WIDTH }, (_, lane) => `stage_${stage}_lane_${lane}`);
  const taskMap: Record<
    string,
    ReturnType<typeof tasks.start> | ReturnType<typeof tasks.updateView<"note">> | (() => void)
  > = {
    start: tasks.start(),
  };
  const edges: [string, string][] = names(0).map((to) => ["start", to]);
  for (let stage = 0; stage < STAGES; stage++) {
    names(stage).forEach((name, lane) => {
      taskMap[name] = lane === 1 ? tasks.updateView({ fields: ["note"] }) : () => {};
      if (stage + 1 < STAGES) {
        const next = names(stage + 1);
        edges.push([name, next[lane]!], [name, next[(lane + 1) % WIDTH]!]);
      }
    });
  }
  return defineWorkflow({ name: "big", state: z.object({ note: z.string().optional() }), tasks: taskMap, edges });
}

/** Every task ran once along the edges; the last stage is open and one task failed on the way. */
function bigInstance(graph: ReturnType<typeof bigWorkflow>["graph"]): WorkflowView {
  const at = new Date(0);
  const ids = new Map<string, string>();
  const order = ["start", ...Object.keys(graph.tasks).filter((name) => name !== "start")];
  const taskViews = order.map((name, i): TaskView => {
    ids.set(name, `task-${i}`);
    const parent = graph.edges.find(([, to]) => to === name)?.[0];
    const last = name.startsWith(`stage_${STAGES - 1}_`);
    return {
      id: `task-${i}`,
      workflowId: "big-1",
      name,
      type: graph.tasks[name]!.type,
      status: name === "stage_20_lane_2" ? "failed" : last ? "scheduled" : "succeeded",
      parentIds: parent ? [ids.get(parent)!] : [],
      assignees: [],
      completedByUser: null,
      created: at,
      modified: at,
      completed: last ? null : at,
      exception: name === "stage_20_lane_2" ? "Error: boom" : null,
      stacktrace: null,
      attempt: 1,
    };
  });
  return {
    id: "big-1",
    name: "big",
    status: "running",
    state: {},
    graphVersion: graph.version,
    created: at,
    modified: at,
    tasks: taskViews,
  };
}

const workflow = bigWorkflow();
const view = bigInstance(workflow.graph);
const taskUrl = (task: TaskView) => (task.status === "scheduled" ? `/big/${task.name}/${task.id}/` : undefined);
const render = () => renderSvg(instanceGraph(workflow, view, { taskUrl }));

let start = performance.now();
const svg = await render();
const cold = performance.now() - start;

for (let i = 0; i < WARMUP; i++) await render(); // let the JIT settle before measuring

// Wall time is what a page waits; CPU time of this process tells a busy machine from slow code.
const times: number[] = [];
const cpuTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const cpu = process.cpuUsage();
  start = performance.now();
  await render();
  times.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
}
// The DOT text alone, to tell building the graph from Graphviz's layout.
const dotTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  start = performance.now();
  instanceGraph(workflow, view, { taskUrl });
  dotTimes.push(performance.now() - start);
}

/** Nearest-rank percentile: with 50 runs, p99 is the slowest run. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const median = percentile(times, 50);
const p99 = percentile(times, 99);

const ms = (n: number) => `${n.toFixed(1)} ms`;
console.log(
  `SVG of a ${view.tasks.length}-task instance (${Object.keys(workflow.graph.tasks).length} tasks, ` +
    `${workflow.graph.edges.length} edges in the definition; ${Math.round(svg.length / 1024)} KiB of SVG)`,
);
console.log(`cold (first call, loads the WASM): ${ms(cold)}`);
console.log(
  `warm, ${RUNS} runs after ${WARMUP} unmeasured: median ${ms(median)}, p99 ${ms(p99)}, ` +
    `min ${ms(percentile(times, 0))}`,
);
console.log(`  CPU time of this process: median ${ms(percentile(cpuTimes, 50))}, p99 ${ms(percentile(cpuTimes, 99))}`);
console.log(`  of which the DOT text: median ${ms(percentile(dotTimes, 50))}, p99 ${ms(percentile(dotTimes, 99))}`);
console.log(
  `goal warm <= ${GOAL_MS} ms: median at ${(median / GOAL_MS).toFixed(2)}x, ` +
    `p99 at ${(p99 / GOAL_MS).toFixed(2)}x of the goal ` +
    `(${p99 <= GOAL_MS ? "met" : median <= GOAL_MS ? "median met, p99 not" : "missed"})`,
);
