import { defineWorkflow, tasks, WorkflowDefinitionError } from "joeflow";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { shipping } from "../../examples/shipping.ts";
import { welcome } from "../../examples/welcome.ts";
import { durationMs } from "../../src/definition/duration.ts";
import { nextStep } from "../../src/graph/next.ts";

describe("a workflow definition", () => {
  it("lets a unit test call a machine task with only the state", async () => {
    expect(await shipping.tasks.hasEmail({ state: { shippingAddress: "x", email: "ann@example.com" } })).toEqual([
      "sendTrackingCode",
    ]);
    expect(await shipping.tasks.hasEmail({ state: { shippingAddress: "x" } })).toEqual(["end"]);
    expect(await welcome.tasks.hasUser({ state: {} })).toEqual(["end"]);
  });

  it("refuses to call a human task", async () => {
    await expect(shipping.tasks.ship({ state: { shippingAddress: "x" } })).rejects.toThrow(/human task/);
  });

  it("compiles to a JSON-only graph whose version changes with the definition", () => {
    const graph = shipping.graph;
    expect(JSON.parse(JSON.stringify(graph))).toEqual(graph);
    expect(graph.tasks.ship).toEqual({
      kind: "updateView",
      type: "human",
      fields: ["trackingCode"],
      show: ["shippingAddress"],
      required: ["trackingCode"],
    });
    expect(graph.tasks.hasEmail).toEqual({
      kind: "machine",
      type: "machine",
      backoff: { initialMs: 1000, maxMs: 3_600_000 },
    });
    const patient = defineWorkflow({ ...shippingOptions(), timeouts: { end: "1 hour" } });
    expect(patient.graph.tasks.end).toMatchObject({ kind: "machine", timeoutMs: 3_600_000 });
    expect(patient.graph.version).not.toBe(defineWorkflow(shippingOptions()).graph.version);
    const changed = defineWorkflow({
      ...shippingOptions(),
      edges: [
        ["checkout", "ship"],
        ["ship", "end"],
      ],
    });
    expect(changed.graph.version).not.toBe(graph.version);
    expect(defineWorkflow(shippingOptions()).graph.version).toBe(defineWorkflow(shippingOptions()).graph.version);
  });

  it("checks due dates: a readable duration, onDue only with a due date, routes to tasks that are no start", () => {
    const define = (review: ReturnType<typeof tasks.updateView<"ok">>) => () =>
      defineWorkflow({
        name: "due",
        state: z.object({ ok: z.boolean().optional() }),
        tasks: { start: tasks.start(), review, later: () => {} },
        edges: [
          ["start", "review"],
          ["review", "later"],
        ],
      });
    expect(define(tasks.updateView({ fields: ["ok"], due: "someday" }))).toThrow(/unreadable due "someday"/);
    expect(define(tasks.updateView({ fields: ["ok"], onDue: { goTo: ["later"] } }))).toThrow(/onDue but no due date/);
    expect(define(tasks.updateView({ fields: ["ok"], due: "1h", onDue: { goTo: ["nope"] } }))).toThrow(
      /goes to "nope" when due, which is not a task/,
    );
    expect(define(tasks.updateView({ fields: ["ok"], due: "1h", onDue: { goTo: ["start"] } }))).toThrow(
      /goes to start task "start" when due/,
    );
    const ok = define(tasks.updateView({ fields: ["ok"], due: "1h", onDue: { reassign: [{ group: "leads" }] } }))();
    expect(ok.graph.tasks.review).toMatchObject({ due: { afterMs: 3_600_000 }, onDue: { reassign: true } });
  });

  it("names every problem of a definition in one error", () => {
    const define = () =>
      defineWorkflow<z.ZodObject<{ a: z.ZodString }>, string>({
        name: "Bad Name",
        state: z.object({ a: z.string() }),
        tasks: {
          // @ts-expect-error "nope" is not a state field
          form: tasks.updateView({ fields: ["a", "nope"] }),
          join: tasks.join("form", "ghost"),
          override: () => {},
          lonely: () => {},
          nap: tasks.wait("soon"),
        },
        edges: [
          ["form", "join"],
          ["form", "missing"],
          ["form", "join"],
        ],
        timeouts: { form: "1 hour", lonely: "50ms" },
      });
    expect(define).toThrow(WorkflowDefinitionError);
    try {
      define();
    } catch (error) {
      const problems = (error as WorkflowDefinitionError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('name "Bad Name"'),
          'task "form" edits "nope", which is not a state field',
          'join "join" waits for "ghost", which is not a task',
          'task name "override" is reserved',
          'wait "nap" has an unreadable duration "soon"',
          'a timeout is set for "form", which is not a machine function',
          'task "lonely" has an invalid timeout "50ms" (at least 1 second)',
          'edge form -> missing names "missing", which is not a task',
          "edge form -> join is listed twice",
          "there is no start task (tasks.start() or tasks.startView())",
        ]),
      );
    }
  });

  it("finds tasks no start reaches and joins whose parents have no edge to them", () => {
    const define = () =>
      defineWorkflow({
        name: "islands",
        state: z.object({}),
        tasks: { start: tasks.start(), a: () => {}, b: () => {}, join: tasks.join("a", "b") },
        edges: [
          ["start", "a"],
          ["a", "join"],
          ["b", "join"],
        ],
      });
    expect(define).toThrow(/task "b" cannot be reached from a start task/);
    expect(() =>
      defineWorkflow({
        name: "join",
        state: z.object({}),
        tasks: { start: tasks.start(), a: () => {}, join: tasks.join("a", "start") },
        edges: [
          ["start", "a"],
          ["a", "join"],
        ],
      }),
    ).toThrow(/join "join" waits for "start", which has no edge to it/);
  });

  it("catches wrong task and field names at compile time", () => {
    const typeErrors = () =>
      defineWorkflow({
        name: "typed",
        state: z.object({ a: z.string() }),
        tasks: {
          // @ts-expect-error "nope" is not a state field
          s: tasks.startView({ fields: ["a", "nope"] }),
          // @ts-expect-error "typo" is not a task
          m: ({ state }) => (state.a ? ["typo"] : ["s"]),
        },
        edges: [
          ["s", "m"],
          // @ts-expect-error "x" is not a task
          ["m", "x"],
        ],
      });
    expect(typeErrors).toThrow(WorkflowDefinitionError);
  });
});

describe("durations and return values", () => {
  it("reads Temporal-style durations", () => {
    expect(durationMs("3h")).toBe(10_800_000);
    expect(durationMs("3 days")).toBe(259_200_000);
    expect(durationMs(1500)).toBe(1500);
    expect(() => durationMs("soon")).toThrow(RangeError);
  });

  it("maps what a machine task returns to the next step", () => {
    const graph = shipping.graph;
    expect(nextStep(graph, "hasEmail", undefined)).toEqual({ kind: "next", names: ["sendTrackingCode", "end"] });
    expect(nextStep(graph, "hasEmail", true)).toEqual({ kind: "next", names: ["sendTrackingCode", "end"] });
    expect(nextStep(graph, "hasEmail", [])).toEqual({ kind: "next", names: [] });
    expect(nextStep(graph, "hasEmail", false)).toEqual({ kind: "notYet" });
    expect(() => nextStep(graph, "hasEmail", ["nope"])).toThrow(/"nope", which is not a task of workflow "shipping"/);
    expect(() => nextStep(graph, "hasEmail", 42)).toThrow(TypeError);
  });
});

function shippingOptions() {
  return {
    name: "shipping",
    state: z.object({ shippingAddress: z.string() }),
    tasks: {
      checkout: tasks.startView({ fields: ["shippingAddress"] }),
      ship: tasks.updateView({ fields: [] }),
      end: () => {},
    },
    edges: [
      ["checkout", "ship"],
      ["ship", "end"],
    ] as ["checkout" | "ship" | "end", "checkout" | "ship" | "end"][],
  } as const;
}

describe("sub-workflow tasks", () => {
  const child = defineWorkflow({
    name: "child",
    state: z.object({ n: z.number() }),
    tasks: { start: tasks.start(), count: () => {} },
    edges: [["start", "count"]],
  });
  const formChild = defineWorkflow({
    name: "form_child",
    state: z.object({ n: z.number() }),
    tasks: { start: tasks.startView({ fields: ["n"] }) },
    edges: [],
  });

  it("compile to a machine task that names the workflow they start", () => {
    const parent = defineWorkflow({
      name: "parent",
      state: z.object({ n: z.number() }),
      tasks: { start: tasks.start(), call: tasks.subflow(child, { input: (s: { n: number }) => ({ n: s.n }) }) },
      edges: [["start", "call"]],
    });
    expect(parent.graph.tasks.call).toEqual({ kind: "subflow", type: "machine", workflow: "child" });
    expect(parent.tasks.call.kind).toBe("subflow");
  });

  it("refuse a child that a task cannot start, and functions that are none", () => {
    const bad = () =>
      defineWorkflow({
        name: "parent",
        state: z.object({ n: z.number() }),
        tasks: {
          start: tasks.start(),
          form: tasks.subflow(formChild, { input: () => ({ n: 1 }) }),
          broken: { kind: "subflow", workflow: child, input: "nope" } as never,
        },
        edges: [
          ["start", "form"],
          ["start", "broken"],
        ],
      });
    expect(bad).toThrow(/subflow "form" starts "form_child", which has no single tasks.start\(\) task/);
    expect(bad).toThrow(/subflow "broken" needs an input function/);
  });
});
