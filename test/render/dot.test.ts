import { readFileSync } from "node:fs";
import { defineWorkflow, tasks } from "joeflow";
import { instanceGraph, workflowGraph } from "joeflow/render";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { failed, inProgress, instance, openHumanTaskUrl, overridden, shipping, task, withObsolete } from "./helpers.ts";

/** As joeflow's own tests do: the same statements, whatever their order. */
function lines(dot: string): Set<string> {
  return new Set(dot.trim().split("\n"));
}

function fixture(name: string): Set<string> {
  return lines(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
}

describe("DOT of the workflow graph", () => {
  it("matches the fixture of the shipping workflow", () => {
    expect(lines(workflowGraph(shipping))).toEqual(fixture("shipping.dot"));
  });

  it("draws where a task goes when its due date passes as a dashed edge", () => {
    const approval = defineWorkflow({
      name: "approval",
      state: z.object({ ok: z.boolean().optional() }),
      tasks: {
        start: tasks.start(),
        approve: tasks.updateView({ fields: ["ok"], due: "2 days", onDue: { goTo: ["escalate"] } }),
        escalate: tasks.updateView({ fields: ["ok"] }),
      },
      edges: [["start", "approve"]],
    });
    const dot = lines(workflowGraph(approval));
    expect(dot).toContain('  "start" -> "approve" [color = "black"];');
    expect([...dot].find((line) => line.startsWith('  "approve" -> "escalate"'))).toContain('style = "dashed"');
  });

  it("takes the definition or its compiled graph alike", () => {
    expect(workflowGraph(shipping.graph)).toBe(workflowGraph(shipping));
  });

  it("follows the workflow's rankdir and shows underscores as spaces", () => {
    const review = defineWorkflow({
      name: "review",
      rankdir: "TB",
      state: z.object({ ok: z.boolean().optional() }),
      tasks: { start_here: tasks.start(), approve_it: tasks.updateView({ fields: ["ok"] }) },
      edges: [["start_here", "approve_it"]],
    });
    const dot = workflowGraph(review);
    expect(dot).toContain('rankdir = "TB";');
    expect(lines(dot)).toContain(
      '  "approve_it" [color = "black", fontcolor = "black", label = "approve it", style = "filled, rounded"];',
    );
    expect(lines(dot)).toContain('  "start_here" -> "approve_it" [color = "black"];');
  });

  it("adds a legend only when asked", () => {
    expect(workflowGraph(shipping)).not.toContain("legend");
    const dot = workflowGraph(shipping, { legend: true });
    expect(dot).toContain('subgraph "cluster_legend" {');
    expect(dot).toContain(
      '"legend:human" [color = "black", fontcolor = "black", label = "human task", style = "filled, rounded"];',
    );
  });
});

describe("DOT of an instance", () => {
  it("in progress: reached tasks black and linked, the open one bold, the rest grey", () => {
    expect(lines(instanceGraph(shipping, inProgress, { taskUrl: openHumanTaskUrl }))).toEqual(
      fixture("shipping_instance.dot"),
    );
  });

  it("with an override: its node and edges dashed, the end it led to double-bordered", () => {
    expect(lines(instanceGraph(shipping, overridden, { taskUrl: openHumanTaskUrl }))).toEqual(
      fixture("shipping_instance_override.dot"),
    );
  });

  it("with an obsolete task: dashed, with dashed edges, and never linked", () => {
    const taskUrl = (t: { name: string; id: string }) => `/shipping/${t.name}/${t.id}/`;
    const dot = instanceGraph(shipping, withObsolete, { taskUrl });
    expect(dot).not.toContain("/shipping/packParcel/");
    expect(lines(instanceGraph(shipping, withObsolete, { taskUrl: openHumanTaskUrl }))).toEqual(
      fixture("shipping_instance_obsolete.dot"),
    );
  });

  it("with a failed task: red, its exception as tooltip", () => {
    expect(lines(instanceGraph(shipping, failed, { taskUrl: openHumanTaskUrl }))).toEqual(
      fixture("shipping_instance_failed.dot"),
    );
  });

  it("has no links unless a taskUrl is given", () => {
    expect(instanceGraph(shipping, inProgress)).not.toContain("href");
  });

  it("is the same text whatever the order of the tasks", () => {
    const reversed = instance([...withObsolete.tasks].reverse());
    expect(instanceGraph(shipping, reversed)).toBe(instanceGraph(shipping, withObsolete));
  });

  it("draws a task run several times (a loop) as one node showing its open visit", () => {
    const looped = instance([
      task("t1", "checkout", "succeeded"),
      task("t2", "ship", "succeeded", ["t1"]),
      task("t3", "hasEmail", "succeeded", ["t2"]),
      task("t4", "ship", "scheduled", ["t3"]),
    ]);
    const dot = lines(instanceGraph(shipping, looped, { taskUrl: openHumanTaskUrl }));
    expect([...dot].filter((line) => line.startsWith('  "ship" ['))).toEqual([
      '  "ship" [color = "black", fontcolor = "black", href = "/shipping/ship/t4/", ' +
        'label = "ship", style = "filled, rounded, bold"];',
    ]);
    // An edge the instance took though the definition has none: drawn black all the same.
    expect(dot).toContain('  "hasEmail" -> "ship" [color = "black"];');
  });

  it("adds the instance legend when asked", () => {
    const dot = instanceGraph(shipping, inProgress, { legend: true });
    for (const label of ["not reached", "open", "finished end", "failed", "override", "obsolete"]) {
      expect(dot).toContain(`label = "${label}"`);
    }
  });
});
