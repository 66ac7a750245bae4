import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, DEFAULT_MACHINE_TIMEOUT_MS } from "../../src/graph/types.ts";
import { backoffOf, chainsInto, nextBackoff, readiness, timeoutOf } from "../../src/interpreter/frontier.ts";
import { graph, T0, task } from "./helpers.ts";

describe("readiness", () => {
  it("runs a machine task with nothing to wait for", () => {
    expect(readiness(graph, task("check"), undefined, T0)).toEqual({ kind: "run" });
  });

  it("leaves a human task to a person", () => {
    expect(readiness(graph, task("review"), undefined, T0)).toEqual({ kind: "human" });
  });

  it("blocks a join until every parent arrived", () => {
    expect(readiness(graph, task("join", { parentNames: [] }), undefined, T0)).toEqual({ kind: "blocked" });
    expect(readiness(graph, task("join", { parentNames: ["pause"] }), undefined, T0)).toEqual({ kind: "blocked" });
    const arrived = task("join", { parentNames: ["pause", "check"] });
    expect(readiness(graph, arrived, undefined, T0)).toEqual({ kind: "run" });
  });

  it("times a wait task from its creation, and runs it once due", () => {
    const pause = task("pause", { created: T0 - 10_000 });
    expect(readiness(graph, pause, undefined, T0)).toEqual({ kind: "timer", dueAt: T0 + 50_000, reason: "wait" });
    expect(readiness(graph, pause, undefined, T0 + 50_000)).toEqual({ kind: "run" });
  });

  it("waits out a backoff, then runs", () => {
    const backoff = { taskId: "check", dueAt: T0 + 2_000, delayMs: 2_000, count: 2 };
    expect(readiness(graph, task("check"), backoff, T0)).toEqual({
      kind: "timer",
      dueAt: T0 + 2_000,
      reason: "backoff",
    });
    expect(readiness(graph, task("check"), backoff, T0 + 2_000)).toEqual({ kind: "run" });
  });

  it("runs a task whose name the graph no longer knows: the activity decides what to do with it", () => {
    expect(readiness(graph, task("gone"), undefined, T0)).toEqual({ kind: "run" });
  });
});

describe("nextBackoff", () => {
  const policy = { initialMs: 1_000, maxMs: 8_000 };

  it("starts at the initial pause", () => {
    expect(nextBackoff(undefined, "check", policy, T0)).toEqual({
      taskId: "check",
      delayMs: 1_000,
      dueAt: T0 + 1_000,
      count: 1,
    });
  });

  it("doubles, capped at the maximum, and counts", () => {
    let state = nextBackoff(undefined, "check", policy, T0);
    const delays = [state.delayMs];
    for (let i = 0; i < 5; i++) {
      state = nextBackoff(state, "check", policy, T0);
      delays.push(state.delayMs);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(state.count).toBe(6);
    expect(state.dueAt).toBe(T0 + 8_000);
  });
});

describe("a task's policy", () => {
  it("takes a machine task's backoff and timeout, the defaults otherwise", () => {
    expect(backoffOf(graph, "check")).toEqual({ initialMs: 1_000, maxMs: 8_000 });
    expect(backoffOf(graph, "pause")).toBe(DEFAULT_BACKOFF);
    expect(timeoutOf(graph, "check")).toBe(5_000);
    expect(timeoutOf(graph, "end")).toBe(DEFAULT_MACHINE_TIMEOUT_MS);
    expect(timeoutOf(graph, "gone")).toBe(DEFAULT_MACHINE_TIMEOUT_MS);
  });
});

describe("a chain of machine steps", () => {
  const started = (...names: string[]) => names.map((name) => ({ id: `${name}-1`, name }));

  it("goes on with the one machine task a step started, under that task's own timeout", () => {
    expect(chainsInto(graph, started("end"), DEFAULT_MACHINE_TIMEOUT_MS)).toEqual({
      taskId: "end-1",
      timeoutMs: DEFAULT_MACHINE_TIMEOUT_MS,
    });
    expect(chainsInto(graph, started("check"), 5_000)).toEqual({ taskId: "check-1", timeoutMs: 5_000 });
  });

  it("leaves a fan-out, a wait, a join, a person's task and the end of the graph to the workflow", () => {
    expect(chainsInto(graph, started("check", "pause"), DEFAULT_MACHINE_TIMEOUT_MS)).toBeNull();
    for (const name of ["pause", "join", "review"]) {
      expect(chainsInto(graph, started(name), DEFAULT_MACHINE_TIMEOUT_MS)).toBeNull();
    }
    expect(chainsInto(graph, [], DEFAULT_MACHINE_TIMEOUT_MS)).toBeNull();
  });

  it("stops before a task whose timeout is longer than the first's: the activity's timeout would not cover it", () => {
    expect(chainsInto(graph, started("end"), 5_000)).toBeNull();
  });
});
