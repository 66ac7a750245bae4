/** Titles and short ids: what lists show of an instance. */
import { describe, expect, it } from "vitest";
import { defineWorkflow, instanceTitle, shortId, TITLE_MAX, taskLabel, tasks, WorkflowDefinitionError } from "joeflow";
import { z } from "zod";
import { uuidv7 } from "../../src/ids.ts";

const order = (title?: (state: { city: string }) => string) =>
  defineWorkflow({
    name: "purchase_order",
    ...(title ? { title } : {}),
    state: z.object({ city: z.string() }),
    tasks: { start: tasks.start(), approve: tasks.updateView({ fields: [], label: "Approve the order" }) },
    edges: [["start", "approve"]],
  });
const id = "01a22eab-0c3d-7e4f-8a5b-6c7d8e9fa0b1";

describe("titles", () => {
  it("tells apart the short ids of instances made in the same millisecond", () => {
    const now = Date.now();
    const ids = Array.from({ length: 100 }, () => uuidv7(now));
    expect(new Set(ids.map((i) => i.slice(0, 8))).size).toBe(1); // the old short ids: all the same
    expect(new Set(ids.map(shortId)).size).toBe(100);
    expect(shortId(id)).toBe("8e9fa0b1");
  });

  it("is the definition's title of the state, else the workflow's label and the short id", () => {
    expect(
      instanceTitle(
        order((s) => `Order to ${s.city}`),
        { id, name: "purchase_order", state: { city: "Bern" } },
      ),
    ).toBe("Order to Bern");
    expect(instanceTitle(order(), { id, name: "purchase_order", state: { city: "Bern" } })).toBe(
      "Purchase order 8e9fa0b1",
    );
    expect(instanceTitle(undefined, { id, name: "gone", state: {} })).toBe("Gone 8e9fa0b1");
  });

  it("falls back to the default when the title throws or gives no text, and keeps it short and on one line", () => {
    const titled = (title: (state: { city: string }) => unknown, city = "Bern") =>
      instanceTitle(order(title as (state: { city: string }) => string), {
        id,
        name: "purchase_order",
        state: { city },
      });
    expect(
      titled(() => {
        throw new Error("no city");
      }),
    ).toBe("Purchase order 8e9fa0b1");
    expect(titled(() => 42)).toBe("Purchase order 8e9fa0b1");
    expect(titled(() => "  \n ")).toBe("Purchase order 8e9fa0b1");
    expect(titled((s) => `To\n  ${s.city}\u0000!`)).toBe("To Bern!");
    const long = titled((s) => s.city, "😀".repeat(300));
    expect([...long]).toHaveLength(TITLE_MAX);
    expect(long.endsWith("😀…")).toBe(true);
  });

  it("labels human tasks by their label, else by name; a label that is no text is refused", () => {
    expect(taskLabel(order().graph, "approve")).toBe("Approve the order");
    expect(taskLabel(order().graph, "start")).toBe("Start");
    expect(() =>
      defineWorkflow({
        name: "bad",
        title: "Bad" as unknown as () => string,
        state: z.object({}),
        tasks: { s: tasks.startView({ fields: [], label: " " }) },
        edges: [],
      }),
    ).toThrow(WorkflowDefinitionError);
  });
});
