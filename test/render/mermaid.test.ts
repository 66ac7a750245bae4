import { instanceMermaid, workflowMermaid } from "joeflow/render";
import { describe, expect, it } from "vitest";
import { failed, inProgress, openHumanTaskUrl, overridden, shipping, withObsolete } from "./helpers.ts";

function lines(text: string): string[] {
  return text.trim().split("\n");
}

/** The ids of the nodes a `class ... NAME` line gives that class. */
function classMembers(text: string, name: string): string[] {
  const line = lines(text).find((l) => l.startsWith("  class ") && l.endsWith(` ${name}`));
  return line ? line.trim().split(" ")[1]!.split(",") : [];
}

describe("Mermaid of the workflow graph", () => {
  it("has every task, human ones rounded, and every edge, in the workflow's direction", () => {
    const text = workflowMermaid(shipping);
    expect(lines(text)[0]).toBe("flowchart LR");
    expect(lines(text)).toEqual(
      expect.arrayContaining([
        '  t_checkout("checkout")',
        '  t_ship("ship")',
        '  t_hasEmail["hasEmail"]',
        '  t_sendTrackingCode["sendTrackingCode"]',
        '  t_end["end"]',
        "  t_checkout --> t_ship",
        "  t_ship --> t_hasEmail",
        "  t_hasEmail --> t_sendTrackingCode",
        "  t_hasEmail --> t_end",
        "  t_sendTrackingCode --> t_end",
      ]),
    );
    expect(classMembers(text, "human")).toEqual(["t_checkout", "t_ship"]);
    expect(text).not.toContain("linkStyle");
  });

  it("declares a class for each look", () => {
    const text = workflowMermaid(shipping);
    for (const name of ["human", "machine", "override", "obsolete", "failed", "open"]) {
      expect(text).toMatch(new RegExp(`^  classDef ${name} `, "m"));
    }
  });
});

describe("Mermaid of an instance, with the meaning of the DOT graph", () => {
  it("greys what was not reached, marks the open task and links it", () => {
    const text = instanceMermaid(shipping, inProgress, { taskUrl: openHumanTaskUrl });
    expect(classMembers(text, "unreached")).toEqual(["t_end", "t_hasEmail", "t_sendTrackingCode"]);
    expect(classMembers(text, "open")).toEqual(["t_ship"]);
    expect(lines(text)).toContain('  click t_ship href "/shipping/ship/t2/"');
    // Edges are sorted as in DOT: checkout->ship (0) was taken, the other four were not.
    expect(lines(text)).toContain("  linkStyle 1,2,3,4 stroke:#888888");
  });

  it("dashes override edges and marks the override and the finished end", () => {
    const text = instanceMermaid(shipping, overridden);
    expect(classMembers(text, "override")).toEqual(["t_override_t3"]);
    expect(classMembers(text, "finished")).toEqual(["t_end"]);
    expect(lines(text)).toEqual(expect.arrayContaining(["  t_ship -.-> t_override_t3", "  t_override_t3 -.-> t_end"]));
  });

  it("marks obsolete and failed tasks; a failed one shows its exception", () => {
    expect(classMembers(instanceMermaid(shipping, withObsolete), "obsolete")).toEqual(["t_packParcel"]);
    const text = instanceMermaid(shipping, failed);
    expect(classMembers(text, "failed")).toEqual(["t_sendTrackingCode"]);
    expect(lines(text)).toContain('  t_sendTrackingCode["sendTrackingCode<br>Error: SMTP down"]');
  });

  it("keeps clear of Mermaid's own words: a task named end is not the end of the chart", () => {
    expect(workflowMermaid(shipping)).not.toMatch(/^\s*end\[/m);
  });

  it("adds a legend subgraph when asked", () => {
    const text = instanceMermaid(shipping, inProgress, { legend: true });
    expect(text).toContain('  subgraph legend ["legend"]');
    expect(classMembers(text, "obsolete")).toEqual(["t_legend_obsolete"]);
  });
});
