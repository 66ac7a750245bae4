/**
 * How a step's cost grows with the instance's open tasks (`bench/engine.ts --fanout`): an instance
 * whose start opens K people's tasks (`inbox0`..) beside a chain of machine steps s1..s10, then `last`
 * (a machine task with a longer timeout, so the chain ends before it and the workflow takes its
 * result: the snapshot of the K open tasks and the plan over them). Per K, instances one at a time;
 * per step: the time and the CPU (this process, the dev server, the PostgreSQL backends) from s1's run
 * to last's, over the 10 steps and the chain's end in that window. Goal: at 1,000 open tasks at most
 * twice the cost at 1.
 */
import type { TestWorkflowEnvironment } from "@temporalio/testing";
import type { Kysely } from "kysely";
import { z } from "zod";
import { type AnyWorkflow, createJoeflow, defineWorkflow, type JoeflowDatabase, tasks } from "joeflow";
import { createWorker } from "joeflow/worker";
import { type Cleanups, type Cpu, cpuNow, cpuSince, ms, percentile } from "../support/run.ts";
import { runWorker } from "../support/servers.ts";

export const FANOUT_SIZES = [1, 10, 100, 1000] as const;
const STEPS = 10;

/** By instance: when s1 and `last` ran, and the CPU then. */
const marks = new Map<string, { s1?: { t: number; cpu: Cpu }; last?: { t: number; cpu: Cpu } }>();
const mark = (id: string, at: "s1" | "last") =>
  marks.set(id, { ...marks.get(id), [at]: { t: performance.now(), cpu: cpuNow() } });

function fanoutWorkflow(open: number): AnyWorkflow {
  const inboxes = Array.from({ length: open }, (_, i) => `inbox${i}`);
  const chain: Record<string, unknown> = { start: tasks.start(), last: () => {} };
  for (const name of inboxes) chain[name] = tasks.updateView({ fields: [] });
  for (let i = 1; i <= STEPS; i++) {
    chain[`s${i}`] = ({ state, workflow }: { state: { count: number }; workflow: { id: string } }) => {
      if (i === 1) mark(workflow.id, "s1");
      state.count += 1;
    };
  }
  chain.last = ({ workflow }: { workflow: { id: string } }) => mark(workflow.id, "last");
  const edges = [
    ...inboxes.map((name) => ["start", name]),
    ["start", "s1"],
    ...Array.from({ length: STEPS - 1 }, (_, i) => [`s${i + 1}`, `s${i + 2}`]),
    [`s${STEPS}`, "last"],
  ];
  const state = z.object({ count: z.number().int() });
  // Built in a loop, so TypeScript cannot check the task names: the definition checks them when it runs.
  const options = { name: `bench_fanout_${open}`, state, tasks: chain, edges, timeouts: { last: "20 minutes" } };
  return defineWorkflow(options as never) as AnyWorkflow;
}

/** Runs `runs` instances per size, one at a time; prints the table. */
export async function fanoutTable(
  env: TestWorkflowEnvironment,
  db: Kysely<JoeflowDatabase>,
  runs: number,
  cleanups: Cleanups,
) {
  const workflows = FANOUT_SIZES.map(fanoutWorkflow);
  const taskQueue = "bench-fanout";
  runWorker(await createWorker({ connection: env.nativeConnection, db, workflows, taskQueue }), "fan-out", cleanups);
  const joeflow = createJoeflow({ db, temporal: env.client, workflows, taskQueue });
  console.log(
    `\nfan-out: per step with K open tasks, ${runs} instances per K one at a time (the first one not counted)`,
  );
  const rows: { open: number; stepMs: number; cpuMs: number }[] = [];
  for (const [k, workflow] of workflows.entries()) {
    const stepMs: number[] = [];
    const cpuMs: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const { workflowId } = await joeflow.start(workflow, { state: { count: 0 } });
      for (let waited = 0; !marks.get(workflowId)?.last; waited += 20) {
        if (waited > 120_000) throw new Error(`fan-out: ${workflowId} did not reach its last task in 2 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const { s1, last } = marks.get(workflowId)!;
      const cpu = cpuSince(s1!.cpu, last!.cpu);
      if (run === 0) continue; // warms this graph's caches
      stepMs.push((last!.t - s1!.t) / STEPS);
      cpuMs.push((cpu.self + cpu.server + cpu.pg) / STEPS);
    }
    rows.push({ open: FANOUT_SIZES[k]!, stepMs: percentile(stepMs, 50), cpuMs: percentile(cpuMs, 50) });
  }
  const base = rows[0]!;
  console.log("| open tasks | per step (median) | CPU per step (median) | step / step at 1 | CPU / CPU at 1 |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) {
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `| ${r.open} | ${ms(r.stepMs)} | ${ms(r.cpuMs)} | ` +
        `${ratio(r.stepMs, base.stepMs)} | ${ratio(r.cpuMs, base.cpuMs)} |`,
    );
  }
}
