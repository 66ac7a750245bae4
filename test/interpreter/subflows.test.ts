import { describe, expect, it } from "vitest";
import type { CompiledGraph } from "../../src/graph/types.ts";
import { plan, resumeInput } from "../../src/interpreter/decisions.ts";
import type { ChildRun } from "../../src/interpreter/protocol.ts";
import { initialState, opened } from "../../src/interpreter/state.ts";
import { busyKey, childEnded, childInstanceId, childStarted, childSettled } from "../../src/interpreter/subflows.ts";
import { snapshot, T0, task } from "./helpers.ts";

/** start → packing (a sub-workflow of "pack") → ship. */
const graph: CompiledGraph = {
  name: "order",
  version: "test",
  rankdir: "LR",
  tasks: {
    start: { kind: "start", type: "machine" },
    packing: { kind: "subflow", type: "machine", workflow: "pack" },
    ship: { kind: "machine", type: "machine", backoff: { initialMs: 1_000, maxMs: 8_000 } },
  },
  edges: [
    ["start", "packing"],
    ["packing", "ship"],
  ],
};
const input = { kind: "resume", workflowId: "w1", graph } as const;
const child: ChildRun = { taskId: "packing", attempt: 1, workflowId: childInstanceId("packing", 1), name: "pack" };

describe("sub-workflow decisions", () => {
  it("starts a child for a scheduled subflow task, once, and runs no activity for it", () => {
    const state = opened(initialState(input), snapshot([task("packing")]));
    const first = plan(graph, state, T0);
    expect(first.children.start).toEqual([{ taskId: "packing", name: "packing", attempt: 1 }]);
    expect(first.dispatch).toEqual([]);
    expect(plan(graph, first.state, T0).children.start).toEqual([]);
    const started = childStarted(first.state, "packing", null, child);
    expect(started.running.size).toBe(0);
    expect(plan(graph, started, T0).children).toEqual({ start: [], stop: [] });
  });

  it("derives one child id per attempt: a retry starts the same child, a rerun a new one", () => {
    expect(childInstanceId("packing", 1)).toBe(child.workflowId);
    expect(childInstanceId("packing", 2)).not.toBe(child.workflowId);
  });

  it("stops a child whose task closed before the child ended, and waits until the stop is sent", () => {
    const waiting = {
      ...opened(initialState(input), snapshot([task("packing")])),
      children: new Map([["packing", child]]),
    };
    const canceled = opened(waiting, snapshot([], 2, "canceled"));
    const next = plan(graph, canceled, T0);
    expect(next.children.stop).toEqual([child]);
    expect(next.state.children.size).toBe(0);
    expect(next.state.running.has(busyKey("packing", "stop"))).toBe(true);
    expect(childSettled(next.state, busyKey("packing", "stop")).running.size).toBe(0);
  });

  it("forgets, without stopping, a child whose task failed; a rerun's new attempt starts a new one", () => {
    const waiting = {
      ...opened(initialState(input), snapshot([task("packing")])),
      children: new Map([["packing", child]]),
    };
    const failed = plan(graph, opened(waiting, snapshot([task("packing", { status: "failed" })], 2)), T0);
    expect(failed.children).toEqual({ start: [], stop: [] });
    expect(failed.state.children.size).toBe(0);
    const rerun = plan(graph, opened(waiting, snapshot([task("packing", { attempt: 2 })], 3)), T0);
    expect(rerun.children.stop).toEqual([]);
    expect(rerun.children.start).toEqual([{ taskId: "packing", name: "packing", attempt: 2 }]);
  });

  it("forgets a child once its end is applied, and only that child", () => {
    const waiting = {
      ...opened(initialState(input), snapshot([task("packing")])),
      children: new Map([["packing", child]]),
    };
    const done = snapshot([task("ship")], 2);
    expect(childEnded(waiting, { taskId: "packing", childId: "another" }, done).children.size).toBe(1);
    const ended = childEnded(waiting, { taskId: "packing", childId: child.workflowId }, done);
    expect(ended.children.size).toBe(0);
    expect(plan(graph, ended, T0).children.stop).toEqual([]);
  });

  it("carries the children and the parent through continue-as-new", () => {
    const parent = { workflowId: "p1", name: "shop", taskId: "t1" };
    const waiting = {
      ...opened(initialState(input), snapshot([task("packing")])),
      children: new Map([["packing", child]]),
    };
    const next = resumeInput({ ...input, parent }, waiting);
    expect(next).toMatchObject({ children: [child], parent });
    expect(initialState(next).children).toEqual(new Map([["packing", child]]));
  });
});
