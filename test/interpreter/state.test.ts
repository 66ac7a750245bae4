import { describe, expect, it } from "vitest";
import {
  initialState,
  opened,
  runEnded,
  scheduledTasks,
  type State,
  startDraining,
  timerEnded,
  withDelta,
  withSnapshot,
} from "../../src/interpreter/state.ts";
import type { RunOutcome, Snapshot, SnapshotDelta, StepOutcome } from "../../src/interpreter/protocol.ts";
import { graph, snapshot, T0, task } from "./helpers.ts";

const start = { kind: "start", workflowId: "w", graph, task: "start", state: {}, user: null } as const;

function stateWith(fields: Partial<State>): State {
  return { ...opened(initialState(start), snapshot([task("check")])), ...fields };
}

describe("the initial state", () => {
  it("of a new instance knows nothing until createInstance answers", () => {
    const state = initialState(start);
    expect(state).toEqual({
      snapshot: null,
      started: false,
      escalating: new Map(),
      draining: false,
      backoff: new Map(),
      running: new Map(),
      timers: new Map(),
      reload: false,
      children: new Map(),
    });
    expect(opened(state, snapshot([task("check")])).started).toBe(true);
  });

  it("of a resumed run carries the snapshot and the backoff, and is started", () => {
    const backoff = { taskId: "check", dueAt: T0 + 4_000, delayMs: 4_000, count: 3 };
    const open = snapshot([task("check")]);
    const state = initialState({ kind: "resume", workflowId: "w", graph, snapshot: open, backoff: [backoff] });
    expect(state.started).toBe(true);
    expect(state.backoff.get("check")).toEqual(backoff);
  });

  it("of a resumed run without a snapshot waits for loadSnapshot", () => {
    const state = initialState({ kind: "resume", workflowId: "w", graph });
    expect(state.started).toBe(false);
    expect(opened(state, null)).toMatchObject({ started: true, snapshot: null });
  });
});

describe("snapshots", () => {
  it("keeps the newest revision: a late reply of an older transaction changes nothing", () => {
    const state = stateWith({ snapshot: snapshot([task("check")], 5) });
    expect(withSnapshot(state, snapshot([], 4))).toBe(state);
    expect(withSnapshot(state, null)).toBe(state);
    expect(withSnapshot(state, snapshot([], 6)).snapshot?.revision).toBe(6);
    expect(withSnapshot(state, snapshot([], 5)).snapshot?.open).toEqual([]);
  });

  it("acts only on scheduled tasks: failed ones wait for a rerun", () => {
    const state = stateWith({ snapshot: snapshot([task("check"), task("end", { status: "failed" })]) });
    expect(scheduledTasks(state).map((t) => t.id)).toEqual(["check"]);
  });
});

/** The outcome of a run of `check` alone, as a chain of one step. */
const ran = (outcome: StepOutcome["outcome"], open: Snapshot): RunOutcome => ({
  steps: [{ taskId: "check", name: "check", outcome }],
  snapshot: open,
});

describe("a run ending", () => {
  const running = stateWith({ running: new Map([["check", "check"]]) });

  it("after `false` starts the task's backoff, then doubles it", () => {
    const once = runEnded(running, graph, "check", ran("notYet", snapshot([task("check")], 2)), T0);
    expect(once.running.size).toBe(0);
    expect(once.backoff.get("check")).toEqual({ taskId: "check", delayMs: 1_000, dueAt: T0 + 1_000, count: 1 });
    const again = runEnded(
      { ...once, running: running.running },
      graph,
      "check",
      ran("notYet", snapshot([task("check")], 3)),
      T0 + 1_000,
    );
    expect(again.backoff.get("check")).toEqual({ taskId: "check", delayMs: 2_000, dueAt: T0 + 3_000, count: 2 });
  });

  it("otherwise ends the backoff and takes the new snapshot", () => {
    const backoff = new Map([["check", { taskId: "check", dueAt: T0, delayMs: 1, count: 1 }]]);
    const result = ran("succeeded", snapshot([task("end")], 2));
    const done = runEnded({ ...running, backoff }, graph, "check", result, T0);
    expect(done.backoff.size).toBe(0);
    expect(done.snapshot?.open.map((t) => t.id)).toEqual(["end"]);
  });

  it("after a chain, takes each step's outcome: a step that said `false` backs off, the others end theirs", () => {
    const backoff = new Map([["check", { taskId: "check", dueAt: T0, delayMs: 1, count: 1 }]]);
    const steps = [
      { taskId: "check", name: "check", outcome: "succeeded" },
      { taskId: "end-1", name: "end", outcome: "notYet" },
    ] as const;
    const chain = runEnded(
      { ...running, backoff },
      graph,
      "check",
      { steps, snapshot: snapshot([task("end")], 4) },
      T0,
    );
    expect(chain.running.size).toBe(0);
    expect([...chain.backoff.values()]).toEqual([{ taskId: "end-1", delayMs: 1_000, dueAt: T0 + 1_000, count: 1 }]);
    expect(chain.snapshot?.revision).toBe(4);
  });

  it("after a chain that yielded before its first step, only takes the snapshot", () => {
    const yielded = runEnded(running, graph, "check", { steps: [], snapshot: snapshot([task("check")], 7) }, T0);
    expect(yielded.running.size).toBe(0);
    expect(yielded.backoff.size).toBe(0);
    expect(yielded.snapshot?.revision).toBe(7);
  });

  it("when the activity gave up only frees the task: the next plan runs it again", () => {
    const gaveUp = runEnded(running, graph, "check", undefined, T0);
    expect(gaveUp.running.size).toBe(0);
    expect(gaveUp.snapshot).toBe(running.snapshot);
  });
});

describe("a chain's delta", () => {
  const base = stateWith({ snapshot: snapshot([task("check"), task("review")], 5) });
  const delta = (fields: Partial<SnapshotDelta> = {}): SnapshotDelta => ({
    base: 5,
    revision: 7,
    status: "running",
    closed: ["check"],
    opened: [task("end", { id: "end-1", parentNames: ["check"] })],
    ...fields,
  });

  it("applies to the snapshot it was made from: closed tasks go, opened ones come last, in the store's order", () => {
    const next = withDelta(base, delta());
    expect(next.snapshot).toEqual({ revision: 7, status: "running", open: [task("review"), delta().opened[0]] });
    expect(next.reload).toBe(false);
  });

  it("changes nothing when it is older than the snapshot, as an older snapshot would", () => {
    expect(withDelta(stateWith({ snapshot: snapshot([], 9) }), delta())).toEqual(
      stateWith({ snapshot: snapshot([], 9) }),
    );
  });

  it("asks for the snapshot again when it was made from a revision the workflow has not seen", () => {
    const next = withDelta(base, delta({ base: 6 }));
    expect(next.reload).toBe(true);
    expect(next.snapshot).toBe(base.snapshot);
    expect(opened(next, snapshot([], 8)).reload).toBe(false); // loadSnapshot answered
  });

  it("is what runEnded takes from a chain that answered with one", () => {
    const running = { ...base, running: new Map([["check", "check"]]) };
    const steps = [{ taskId: "check", name: "check", outcome: "succeeded" }] as const;
    expect(runEnded(running, graph, "check", { steps, delta: delta() }, T0).snapshot?.revision).toBe(7);
  });
});

describe("timers and draining", () => {
  it("forgets an ended timer", () => {
    const state = stateWith({ timers: new Map([["pause", { name: "pause", dueAt: T0, reason: "wait" as const }]]) });
    expect(timerEnded(state, "pause").timers.size).toBe(0);
  });

  it("marks the run as draining", () => {
    expect(startDraining(stateWith({})).draining).toBe(true);
  });
});
