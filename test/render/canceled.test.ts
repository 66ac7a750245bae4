import { instanceGraph, instanceMermaid } from "joeflow/render";
import { describe, expect, it } from "vitest";
import { instance, shipping, task, withObsolete } from "./helpers.ts";

/** The clerk cancelled the order before the warehouse shipped it. */
const canceled = instance([task("t1", "checkout", "succeeded"), task("t2", "ship", "canceled", ["t1"])]);

const nodeLine = (dot: string, id: string) => dot.split("\n").find((l) => l.trimStart().startsWith(`"${id}" [`));

describe("cancelled and obsolete tasks, told apart", () => {
  it("draws a cancelled task dotted on grey, an obsolete one dashed (as joeflow does)", () => {
    const dot = instanceGraph(shipping, canceled);
    const look = 'color = "black", fillcolor = "#eeeeee", fontcolor = "black", label = "ship"';
    expect(nodeLine(dot, "ship")).toBe(`  "ship" [${look}, style = "filled, rounded, dotted"];`);
    expect(nodeLine(instanceGraph(shipping, withObsolete), "packParcel")).toContain('style = "filled, dashed"');
    expect(nodeLine(dot, "checkout")).not.toContain("dotted");
  });

  it("gives cancelled tasks their own Mermaid class, and both looks a key in the legend", () => {
    const text = instanceMermaid(shipping, canceled, { legend: true });
    expect(text).toContain("classDef canceled stroke-dasharray:2 2,fill:#eee");
    expect(text).toContain("class t_ship,t_legend_canceled canceled");
    const dot = instanceGraph(shipping, canceled, { legend: true });
    expect(nodeLine(dot, "legend:canceled")).toContain("dotted");
    expect(nodeLine(dot, "legend:obsolete")).toContain("dashed");
  });
});
