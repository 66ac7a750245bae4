/** Small graphs, tasks and snapshots for the interpreter's unit tests. */
import type { CompiledGraph } from "../../src/graph/types.ts";
import type { OpenTask, Snapshot } from "../../src/interpreter/protocol.ts";

/**
 * start → check (machine, 5 s timeout, backoff 1 s → 8 s) → pause (wait 1 min) → join(check, pause)
 * → review (human) → end (machine, defaults).
 */
export const graph: CompiledGraph = {
  name: "demo",
  version: "test",
  rankdir: "LR",
  tasks: {
    start: { kind: "start", type: "machine" },
    check: { kind: "machine", type: "machine", backoff: { initialMs: 1_000, maxMs: 8_000 }, timeoutMs: 5_000 },
    pause: { kind: "wait", type: "machine", ms: 60_000 },
    join: { kind: "join", type: "machine", parents: ["check", "pause"] },
    review: { kind: "updateView", type: "human", fields: [] },
    end: { kind: "machine", type: "machine", backoff: { initialMs: 1_000, maxMs: 3_600_000 } },
  },
  edges: [
    ["start", "check"],
    ["start", "pause"],
    ["check", "join"],
    ["pause", "join"],
    ["join", "review"],
    ["review", "end"],
  ],
};

export const T0 = 1_700_000_000_000;

/** An open task named `name` (its id is `name` too, unless given), scheduled at T0. */
export function task(name: string, fields: Partial<OpenTask> = {}): OpenTask {
  const type = graph.tasks[name]?.type ?? "machine";
  return { id: name, name, type, status: "scheduled", created: T0, attempt: 1, parentNames: [], ...fields };
}

export function snapshot(open: readonly OpenTask[], revision = 1, status: Snapshot["status"] = "running"): Snapshot {
  return { revision, status, open };
}
