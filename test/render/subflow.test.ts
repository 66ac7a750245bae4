import { workflowGraph, workflowMermaid } from "joeflow/render";
import { describe, expect, it } from "vitest";
import { order } from "../fixtures/subflows.ts";

describe("a sub-workflow task in the graphs", () => {
  it("is a box with depth in DOT, named with the workflow it starts", () => {
    const line = workflowGraph(order)
      .split("\n")
      .find((l) => l.trim().startsWith('"packing"'));
    expect(line).toContain('label = "packing (pack)"');
    expect(line).toContain('shape = "box3d"');
  });

  it("is a subroutine in Mermaid", () => {
    expect(workflowMermaid(order)).toContain('  t_packing[["packing (pack)"]]');
  });
});
