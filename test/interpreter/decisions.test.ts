import { describe, expect, it } from "vitest";
import {
  createInput,
  DEFAULT_HISTORY_LIMIT,
  historyLimitOf,
  isDrained,
  isFinished,
  nextMove,
  pendingOf,
  plan,
  resumeInput,
  runInput,
  shouldContinueAsNew,
} from "../../src/interpreter/decisions.ts";
import type { OpenTask } from "../../src/interpreter/protocol.ts";
import {
  initialState,
  opened,
  runEnded,
  type State,
  startDraining,
  type Timer,
  timerEnded,
} from "../../src/interpreter/state.ts";
import { graph, snapshot, T0, task } from "./helpers.ts";

const resume = { kind: "resume", workflowId: "w", graph } as const;

function stateOf(open: readonly OpenTask[], fields: Partial<State> = {}): State {
  return { ...opened(initialState(resume), snapshot(open)), ...fields };
}

const wait = (dueAt: number) => ({ name: "pause", dueAt, reason: "wait" as const });
const quiet = { continueAsNewSuggested: false, historyLength: 10 };

describe("plan: what runs", () => {
  it("runs the scheduled machine tasks, with their timeout, and records them as running", () => {
    const next = plan(graph, stateOf([task("check"), task("end")]), T0);
    expect(next.dispatch).toEqual([
      { taskId: "check", name: "check", timeoutMs: 5_000, notYetCount: 0 },
      { taskId: "end", name: "end", timeoutMs: 600_000, notYetCount: 0 },
    ]);
    expect([...next.state.running]).toEqual([
      ["check", "check"],
      ["end", "end"],
    ]);
    expect(next.timers).toEqual([]);
    expect(next.cancel).toEqual([]);
  });

  it("does not run human tasks, failed tasks, or joins still waiting for a parent", () => {
    const open = [task("review"), task("end", { status: "failed" }), task("join", { parentNames: ["check"] })];
    const next = plan(graph, stateOf(open), T0);
    expect(next.dispatch).toEqual([]);
    expect(next.timers).toEqual([]);
  });

  it("runs a join once all its parents arrived", () => {
    const next = plan(graph, stateOf([task("join", { parentNames: ["check", "pause"] })]), T0);
    expect(next.dispatch.map((d) => d.taskId)).toEqual(["join"]);
  });

  it("runs nothing twice: a running task or one with a timer is left alone", () => {
    const state = stateOf([task("check"), task("pause")], {
      running: new Map([["check", "check"]]),
      timers: new Map([["pause", wait(T0 + 60_000)]]),
    });
    const next = plan(graph, state, T0);
    expect(next.dispatch).toEqual([]);
    expect(next.timers).toEqual([]);
    expect(next.cancel).toEqual([]);
  });

  it("passes how often the task said `false` before, and the task's own timeout", () => {
    const backoff = new Map([["check", { taskId: "check", dueAt: T0, delayMs: 2_000, count: 2 }]]);
    const next = plan(graph, stateOf([task("check")], { backoff }), T0);
    expect(next.dispatch).toEqual([{ taskId: "check", name: "check", timeoutMs: 5_000, notYetCount: 2 }]);
    const input = { workflowId: "w", taskId: "check", at: T0, notYetCount: 2, timeoutMs: 5_000 };
    expect(runInput("w", next.dispatch[0]!, T0)).toEqual(input);
  });
});

describe("plan: timers", () => {
  it("starts a wait task's timer, due its duration after the task was created", () => {
    const next = plan(graph, stateOf([task("pause", { created: T0 - 1_000 })]), T0);
    expect(next.timers).toEqual([{ taskId: "pause", name: "pause", dueAt: T0 + 59_000, reason: "wait" }]);
    expect(next.state.timers.get("pause")).toEqual(wait(T0 + 59_000));
    expect(next.dispatch).toEqual([]);
  });

  it("starts a backoff timer after `false`", () => {
    const backoff = new Map([["check", { taskId: "check", dueAt: T0 + 4_000, delayMs: 4_000, count: 3 }]]);
    const next = plan(graph, stateOf([task("check")], { backoff }), T0);
    expect(next.timers).toEqual([{ taskId: "check", name: "check", dueAt: T0 + 4_000, reason: "backoff" }]);
  });

  it("cancels the timer of a task that closed, and forgets its backoff", () => {
    const state = stateOf([task("check")], {
      timers: new Map([["pause", wait(T0 + 60_000)]]),
      backoff: new Map([["gone", { taskId: "gone", dueAt: T0, delayMs: 1, count: 1 }]]),
    });
    const next = plan(graph, state, T0);
    expect(next.cancel).toEqual(["pause"]);
    expect(next.state.backoff.size).toBe(0);
    // The timer stays until it reports its end: the loop waits for that before it finishes.
    expect(next.state.timers.has("pause")).toBe(true);
  });
});

describe("plan: due dates of people's tasks", () => {
  const due = (dueAt: number) => ({ name: "review", dueAt, reason: "due" as const });

  it("keeps a timer until a human task's due date, and escalates it once the date passed", () => {
    const early = plan(graph, stateOf([task("review", { type: "human", due: T0 + 5_000 })]), T0);
    expect(early.timers).toEqual([{ taskId: "review", name: "review", dueAt: T0 + 5_000, reason: "due" }]);
    expect(early.escalate).toEqual([]);
    const late = plan(graph, stateOf([task("review", { type: "human", due: T0 })]), T0);
    expect(late.timers).toEqual([]);
    expect(late.escalate).toEqual([{ taskId: "review", name: "review" }]);
    expect([...late.state.escalating]).toEqual([["review", "review"]]);
    // Escalating: not again, and nothing to drain until it answers.
    expect(plan(graph, late.state, T0 + 1).escalate).toEqual([]);
    expect(isDrained(late.state)).toBe(false);
  });

  it("moves the timer of a due date that moved, and drops it with the due date", () => {
    const moved = stateOf([task("review", { type: "human", due: T0 + 9_000 })], {
      timers: new Map([["review", due(T0 + 5_000)]]),
    });
    expect(plan(graph, moved, T0).cancel).toEqual(["review"]);
    const dropped = stateOf([task("review", { type: "human" })], { timers: new Map([["review", due(T0 + 5_000)]]) });
    expect(plan(graph, dropped, T0).cancel).toEqual(["review"]);
    const same = stateOf([task("review", { type: "human", due: T0 + 5_000 })], {
      timers: new Map([["review", due(T0 + 5_000)]]),
    });
    expect(plan(graph, same, T0)).toMatchObject({ cancel: [], timers: [], escalate: [] });
  });
});

describe("plan: draining for continue-as-new", () => {
  const state = startDraining(
    stateOf([task("check"), task("pause"), task("end")], {
      timers: new Map<string, Timer>([
        ["pause", wait(T0 + 60_000)],
        ["end", { name: "end", dueAt: T0 + 1, reason: "backoff" }],
      ]),
      backoff: new Map([["end", { taskId: "end", dueAt: T0 + 1, delayMs: 1_000, count: 1 }]]),
    }),
  );

  it("cancels every timer and dispatches nothing, keeping the backoff of open tasks", () => {
    const next = plan(graph, state, T0);
    expect(next.cancel).toEqual(["pause", "end"]);
    expect(next.dispatch).toEqual([]);
    expect(next.timers).toEqual([]);
    expect(next.state.backoff.has("end")).toBe(true);
  });

  it("is drained once the timers reported their end and nothing runs", () => {
    expect(isDrained(state)).toBe(false);
    expect(isDrained(timerEnded(timerEnded(state, "pause"), "end"))).toBe(true);
  });
});

describe("the loop's next move", () => {
  it("finishes when nothing is open, running or timed", () => {
    const done = stateOf([]);
    expect(isFinished(done)).toBe(true);
    expect(nextMove(done, quiet, 100)).toBe("finish");
    expect(nextMove(done, { continueAsNewSuggested: true, historyLength: 1_000 }, 100)).toBe("finish");
  });

  it("does not finish while a task is open, failed, running or timed, nor before it started", () => {
    expect(isFinished(stateOf([task("review")]))).toBe(false);
    expect(isFinished(stateOf([task("end", { status: "failed" })]))).toBe(false);
    expect(isFinished(stateOf([], { running: new Map([["end", "end"]]) }))).toBe(false);
    // A chain's delta that did not fit: the snapshot may be behind, so it is read again first.
    expect(isFinished(stateOf([], { reload: true }))).toBe(false);
    expect(isFinished(stateOf([], { timers: new Map([["pause", wait(T0)]]) }))).toBe(false);
    expect(isFinished(initialState(resume))).toBe(false);
  });

  it("continues as new when the server suggests it or the history reaches the limit", () => {
    const open = stateOf([task("review")]);
    expect(nextMove(open, quiet, 100)).toBe("wait");
    expect(nextMove(open, { continueAsNewSuggested: true, historyLength: 10 }, 100)).toBe("continueAsNew");
    expect(nextMove(open, { continueAsNewSuggested: false, historyLength: 100 }, 100)).toBe("continueAsNew");
    expect(shouldContinueAsNew({ continueAsNewSuggested: false, historyLength: 99 }, 100)).toBe(false);
  });

  it("uses the default history limit unless the input sets one", () => {
    expect(historyLimitOf(resume)).toBe(DEFAULT_HISTORY_LIMIT);
    expect(historyLimitOf({ ...resume, historyLimit: 120 })).toBe(120);
  });
});

describe("the inputs it sends", () => {
  it("carries the snapshot, the backoff and the history limit to the next run", () => {
    const backoff = { taskId: "check", dueAt: T0 + 2_000, delayMs: 2_000, count: 2 };
    const state = stateOf([task("check")], { backoff: new Map([["check", backoff]]) });
    expect(resumeInput({ ...resume, historyLimit: 120 }, state)).toEqual({
      kind: "resume",
      workflowId: "w",
      graph,
      snapshot: state.snapshot,
      backoff: [backoff],
      historyLimit: 120,
    });
  });

  it("creates the instance with the first task's id", () => {
    const start = { kind: "start", workflowId: "w", graph, task: "start", state: { a: 1 }, user: "ann" } as const;
    expect(createInput(start, "t1", T0)).toEqual({
      workflowId: "w",
      graph,
      task: "start",
      taskId: "t1",
      state: { a: 1 },
      user: "ann",
      at: T0,
    });
  });
});

describe("the pending query", () => {
  it("lists activities, timers, humans, failed tasks and blocked joins", () => {
    const open = [
      task("check"),
      task("pause"),
      task("review"),
      task("end", { status: "failed" }),
      task("join", { parentNames: ["check"] }),
    ];
    const state = stateOf(open, { running: new Map([["check", "check"]]), timers: new Map([["pause", wait(T0 + 5)]]) });
    expect(pendingOf(graph, state, T0, false)).toEqual({
      now: T0,
      started: true,
      activities: [{ taskId: "check", name: "check" }],
      timers: [{ taskId: "pause", name: "pause", dueAt: T0 + 5, reason: "wait" }],
      humans: [{ taskId: "review", name: "review" }],
      failed: [{ taskId: "end", name: "end" }],
      blocked: [{ taskId: "join", name: "join" }],
      handlers: 1,
      continuingAsNew: false,
      escalating: [],
    });
  });

  it("says when the run is about to continue as new, and when no handler runs", () => {
    const pending = pendingOf(graph, startDraining(stateOf([])), T0, true);
    expect(pending).toMatchObject({ continuingAsNew: true, handlers: 0, started: true });
  });
});

describe("a task that says `false` until its third run", () => {
  it("runs, backs off 1 s then 2 s, and runs again each time the timer fires", () => {
    let state = stateOf([task("check")]);
    let now = T0;
    const runs: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const step = plan(graph, state, now);
      expect(step.dispatch).toHaveLength(1);
      runs.push(step.dispatch[0]!.notYetCount);
      const outcome = attempt < 3 ? "notYet" : "succeeded";
      const open = attempt < 3 ? [task("check")] : [];
      const steps = [{ taskId: "check", name: "check", outcome }] as const;
      state = runEnded(step.state, graph, "check", { steps, snapshot: snapshot(open, attempt + 1) }, now);
      if (attempt === 3) break;
      const wait = plan(graph, state, now);
      expect(wait.dispatch).toEqual([]);
      const dueAt = now + 1_000 * 2 ** (attempt - 1);
      expect(wait.timers).toEqual([{ taskId: "check", name: "check", dueAt, reason: "backoff" }]);
      now = wait.timers[0]!.dueAt;
      state = timerEnded(wait.state, "check");
    }
    expect(runs).toEqual([0, 1, 2]);
    expect(nextMove(plan(graph, state, now).state, quiet, 100)).toBe("finish");
  });
});
