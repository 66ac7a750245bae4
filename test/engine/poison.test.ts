/**
 * Input PostgreSQL or Temporal cannot take is refused at the boundary, at once, with a typed
 * InvalidData, and nothing is written or left stuck: NUL characters, lone surrogates, states over the
 * size limit, JSON nested 10,000 deep, a NUL in a task id. A machine task that writes such a state
 * fails with a clear record instead of retrying for ever.
 */
import { defineWorkflow, InvalidData, tasks, UnknownTask, UnknownWorkflow } from "joeflow";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

const note = defineWorkflow({
  name: "note",
  state: z.object({ text: z.string().default(""), extra: z.unknown().optional() }),
  tasks: {
    write: tasks.startView({ fields: ["text", "extra"] }),
    start: tasks.start(),
    edit: tasks.updateView({ fields: ["text", "extra"] }),
    poison: ({ state }) => {
      state.text = "bad \u0000 byte";
    },
    end: () => {},
  },
  edges: [
    ["write", "edit"],
    ["start", "poison"],
    ["edit", "end"],
    ["poison", "end"],
  ],
});

const NASTY: Record<string, unknown> = {
  "a NUL character": "a\u0000b",
  "a lone high surrogate": "x\uD800y",
  "a lone low surrogate": "\uDC00",
  "a NUL in a key": { "k\u0000": 1 },
  "600 KB of text": "x".repeat(600 * 1024),
  "JSON nested 10,000 deep": Array.from({ length: 10_000 }).reduce<unknown>((inner) => ({ inner }), {}),
};

describe("input that cannot be stored", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [note] });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const count = async () => (await env.joeflow.list({ name: "note", limit: 500 })).items.length;

  it("is refused at start with InvalidData, at once, and no instance is made", async () => {
    const before = await count();
    for (const [what, value] of Object.entries(NASTY)) {
      const started = Date.now();
      const error = await env.joeflow
        .start(note, { task: "write", state: { text: "ok", extra: value } })
        .catch((e) => e);
      expect([what, error]).toEqual([what, expect.any(InvalidData)]);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    const textual = await env.joeflow.start(note, { task: "write", state: { text: "a\u0000b" } }).catch((e) => e);
    expect((textual as InvalidData).issues[0]?.path).toEqual(["text"]);
    expect(await count()).toBe(before);
  });

  it("is refused when a task is completed or an instance overridden, and the task stays open", async () => {
    const { workflowId } = await env.joeflow.start(note, { task: "write", state: { text: "fine" } });
    const edit = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "edit")!;
    for (const [what, value] of Object.entries(NASTY)) {
      const completed = await env.joeflow.completeTask(edit.id, { data: { extra: value } }).catch((e) => e);
      expect([what, completed]).toEqual([what, expect.any(InvalidData)]);
      const overridden = await env.joeflow.override(workflowId, { state: { extra: value }, next: [] }).catch((e) => e);
      expect([what, overridden]).toEqual([what, expect.any(InvalidData)]);
    }
    const instance = await env.joeflow.get(workflowId);
    expect(instance.tasks.find((t) => t.id === edit.id)?.status).toBe("scheduled");
    expect(instance.state).toEqual({ text: "fine" });
    await env.joeflow.completeTask(edit.id, { data: { text: "still works" } });
  });

  it("answers ids with a NUL byte as unknown", async () => {
    await expect(env.joeflow.getTask("\u0000")).rejects.toBeInstanceOf(UnknownTask);
    await expect(env.joeflow.completeTask("a\u0000b", { data: {} })).rejects.toBeInstanceOf(UnknownTask);
    await expect(env.joeflow.get("\u0000")).rejects.toBeInstanceOf(UnknownWorkflow);
    await expect(env.joeflow.override("\u0000", { next: [] })).rejects.toBeInstanceOf(UnknownWorkflow);
  });

  it("refuses names that only look like tasks, filters that cannot be compared, values that are no JSON", async () => {
    const { workflowId } = await env.joeflow.start(note, { task: "write", state: { text: "fine" } });
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      await expect(env.joeflow.override(workflowId, { next: [name] })).rejects.toBeInstanceOf(UnknownTask);
    }
    await expect(env.joeflow.listTasks({ name: "a\u0000b" })).rejects.toBeInstanceOf(InvalidData);
    await expect(env.joeflow.listTasks({ workflowId: "not-an-id" })).rejects.toBeInstanceOf(InvalidData);
    await expect(env.joeflow.list({ name: "\u0000" })).rejects.toBeInstanceOf(InvalidData);
    const edit = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "edit")!;
    const big = await env.joeflow.completeTask(edit.id, { data: { extra: 10n } }).catch((e) => e);
    expect(big).toBeInstanceOf(InvalidData);
    const other = await env.joeflow
      .send("completeTask", { ...edit, workflowName: "note" }, { taskId: crypto.randomUUID(), data: {} })
      .catch((e) => e);
    expect(other).toBeInstanceOf(UnknownTask);
    expect((await env.joeflow.get(workflowId)).status).toBe("running");
  });

  it("fails a machine task that writes it, with the reason, instead of retrying", async () => {
    const { workflowId } = await env.joeflow.start(note, { task: "start", state: {} });
    await env.idle(workflowId);
    const poison = (await env.joeflow.get(workflowId)).tasks.find((t) => t.name === "poison")!;
    expect(poison.status).toBe("failed");
    expect(poison.exception).toMatch(/^InvalidData: .*text: contains a NUL character/);
  });
});
