import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporalWorkflowId } from "../../src/interpreter/protocol.ts";
import { loop } from "../fixtures/workflows.ts";

describe("a loop that runs for ever", () => {
  let env: TestEnv;
  beforeAll(async () => {
    // Its iterations run in chains (hundreds per activity, a thousand on a fast machine), so the default
    // limit of 10,000 events would never be reached: a low one makes the runs continue as new. At 60 a
    // fast machine ran the 5,000 in 9 chains, under 60 events, and never continued as new.
    env = await createTestEnv({ workflows: [loop], historyLimit: 30 });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it("runs 5,000 iterations, continuing as new so no history grows without bound", { timeout: 1_800_000 }, async () => {
    const { workflowId } = await env.joeflow.start(loop, { state: { until: 5_000 } });
    const handle = env.temporal.client.workflow.getHandle(temporalWorkflowId("loop", workflowId));
    const firstRun = (await handle.describe()).runId;
    await env.idle(workflowId, { timeout: 1_740_000 });
    const instance = await env.joeflow.get(workflowId);
    expect(instance.state.counter).toBe(5_000);
    expect(instance.tasks.filter((t) => t.name === "increment")).toHaveLength(5_000);
    expect(instance.status).toBe("done");
    const lastRun = await handle.describe();
    expect(lastRun.runId).not.toBe(firstRun); // the run chain advanced
    expect(lastRun.historyLength).toBeLessThan(10_500);
    const history = await handle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(started?.continuedExecutionRunId).toBeTruthy(); // this run continued an earlier one
  });
});
