/**
 * A machine task that hangs: its timeout (set per task in the definition) gives the run up, rolls
 * back its transaction so the instance is not left locked, and Temporal runs the task again.
 */
import { defineWorkflow, tasks } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHAIN_EXTRA_MS, temporalWorkflowId } from "../../src/interpreter/protocol.ts";
import { gate } from "../fixtures/gate.ts";

const hang = gate();
const runs: AbortSignal[] = [];

const report = defineWorkflow({
  name: "report",
  state: z.object({ pages: z.number().int().default(0) }),
  tasks: {
    start: tasks.start(),
    fetchReport: async ({ state, signal }) => {
      runs.push(signal);
      state.pages += 10;
      if (runs.length === 1) await hang.pass(); // the first run hangs, and does not listen to its signal
    },
    end: () => {},
  },
  edges: [
    ["start", "fetchReport"],
    ["fetchReport", "end"],
  ],
  timeouts: { fetchReport: "2 seconds" },
});

describe("a machine task's timeout", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [report] });
  });
  afterAll(async () => {
    hang.open();
    await env?.teardown();
  });

  it("gives a hanging run up, discards what it did, and the next run completes the task", {
    timeout: 60_000,
  }, async () => {
    const { workflowId } = await env.joeflow.start(report, { state: {} });
    await hang.arrived;
    await env.idle(workflowId, { timeout: 45_000 });
    const instance = await env.joeflow.get(workflowId);
    expect(runs).toHaveLength(2);
    expect(runs[0]!.aborted).toBe(true); // the first run was told, and its changes rolled back
    expect(instance.state.pages).toBe(10);
    expect(instance.tasks.map((t) => [t.name, t.status])).toEqual([
      ["start", "succeeded"],
      ["fetchReport", "succeeded"],
      ["end", "succeeded"],
    ]);
    expect((await env.joeflow.history(workflowId)).map((h) => h.taskName)).toEqual(["start", "fetchReport"]);

    const history = await env.temporal.client.workflow
      .getHandle(temporalWorkflowId("report", workflowId))
      .fetchHistory();
    const timeouts = (history.events ?? []).flatMap((e) => {
      const scheduled = e.activityTaskScheduledEventAttributes;
      return scheduled ? [Number(scheduled.startToCloseTimeout?.seconds ?? 0)] : [];
    });
    // Each activity may run a chain: its timeout is its first task's (fetchReport as defined, end the
    // default 10 minutes) plus the chain's budget; the run above was given up at fetchReport's own 2 s.
    expect(timeouts).toEqual([2, 600].map((s) => s + CHAIN_EXTRA_MS / 1000));
  });
});
