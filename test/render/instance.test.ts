/** A real instance, from the time-skipping server, drawn at each step. */
import { instanceGraph, instanceMermaid, renderSvg } from "joeflow/render";
import { createTestEnv, type TestEnv } from "joeflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { openHumanTaskUrl } from "./helpers.ts";
import { elements, isWellFormed } from "./xml.ts";

describe("the picture of a real shipping order", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workflows: [shipping] });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it("shows where the order stands, then how it ended", async () => {
    const { workflowId } = await env.joeflow.start("shipping", {
      state: { shippingAddress: "1 Main St", email: "ann@example.com" },
      user: "clerk",
    });
    let order = await env.joeflow.get(workflowId);
    const ship = order.tasks.find((t) => t.name === "ship")!;
    let lines = instanceGraph(shipping, order, { taskUrl: openHumanTaskUrl }).split("\n");
    expect(lines).toContain(
      `  "ship" [color = "black", fontcolor = "black", href = "/shipping/ship/${ship.id}/", ` +
        `label = "ship", style = "filled, rounded, bold"];`,
    );
    expect(lines).toContain(
      '  "checkout" [color = "black", fontcolor = "black", label = "checkout", style = "filled, rounded"];',
    );
    expect(lines).toContain('  "end" [color = "#888888", fontcolor = "#888888", label = "end", style = "filled"];');
    expect(lines).toContain('  "checkout" -> "ship" [color = "black"];');

    const svg = await renderSvg(instanceGraph(shipping, order, { taskUrl: openHumanTaskUrl }));
    expect(isWellFormed(svg)).toBe(true);
    expect(
      elements(svg)
        .filter((e) => e.name === "a" && e.attributes["xlink:href"])
        .map((e) => e.attributes["xlink:href"]),
    ).toEqual([`/shipping/ship/${ship.id}/`]);

    await env.joeflow.completeTask(ship.id, { data: { trackingCode: "TRACK-1" }, user: "warehouse" });
    await env.idle(workflowId);
    order = await env.joeflow.get(workflowId);
    lines = instanceGraph(shipping, order, { taskUrl: openHumanTaskUrl }).split("\n");
    expect(lines).toContain(
      '  "end" [color = "black", fontcolor = "black", label = "end", peripheries = 2, style = "filled"];',
    );
    expect(lines).toContain('  "hasEmail" -> "sendTrackingCode" [color = "black"];');
    expect(lines).toContain('  "hasEmail" -> "end" [color = "#888888"];'); // the branch not taken
    expect(lines.join("\n")).not.toMatch(/href|#888888", fontcolor/);
    expect(instanceMermaid(shipping, order)).toMatch(/^ {2}class t_end finished$/m);
  });
});
