import { describe, expect, it } from "vitest";
import { messageInput, settle, startedReply } from "../../src/interpreter/replies.ts";
import { initialState, opened } from "../../src/interpreter/state.ts";
import { graph, snapshot, task } from "./helpers.ts";

const state = opened(initialState({ kind: "resume", workflowId: "w", graph }), snapshot([task("review")], 3));

describe("message replies", () => {
  it("sends the message with its id", () => {
    expect(messageInput("w", "rerun", { taskId: "t" }, "update-1", 42)).toEqual({
      workflowId: "w",
      name: "rerun",
      args: { taskId: "t" },
      messageId: "update-1",
      at: 42,
    });
  });

  it("answers with the affected task and the status after, taking the new snapshot", () => {
    const settled = settle(state, { ok: true, snapshot: snapshot([], 4, "done"), value: { taskId: "review" } });
    expect(settled.reply).toEqual({ ok: true, value: { taskId: "review", status: "done" } });
    expect(settled.state.snapshot?.revision).toBe(4);
  });

  it("answers with the newest status when another transaction overtook this one", () => {
    const overtaken = settle(state, { ok: true, snapshot: snapshot([], 2, "done"), value: { taskId: null } });
    expect(overtaken.reply).toEqual({ ok: true, value: { taskId: null, status: "running" } });
    expect(overtaken.state).toBe(state);
  });

  it("answers with the error, still taking the snapshot a failed message returns", () => {
    const error = { code: "TaskNotOpen", taskId: "review", status: "done" } as const;
    const failed = settle(state, { ok: false, snapshot: snapshot([], 5), error });
    expect(failed.reply).toEqual({ ok: false, error });
    expect(failed.state.snapshot?.revision).toBe(5);
    expect(settle(state, { ok: false, snapshot: null, error }).state).toBe(state);
  });

  it("answers `started` with the status, or that there is no such instance", () => {
    expect(startedReply(state, "w")).toEqual({ ok: true, value: "running" });
    const missing = opened(initialState({ kind: "resume", workflowId: "w", graph }), null);
    expect(startedReply(missing, "w")).toEqual({ ok: false, error: { code: "UnknownWorkflow", workflow: "w" } });
  });
});
