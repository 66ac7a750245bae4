import { instanceGraph, renderSvg, workflowGraph } from "joeflow/render";
import { describe, expect, it } from "vitest";
import { inProgress, instance, openHumanTaskUrl, shipping, task } from "./helpers.ts";
import { elements, isWellFormed } from "./xml.ts";

describe("SVG from DOT with Graphviz as WebAssembly", () => {
  it("is well-formed XML that starts at <svg>, ready to inline in HTML", async () => {
    const svg = await renderSvg(workflowGraph(shipping));
    expect(isWellFormed(svg)).toBe(true);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).not.toMatch(/<\?xml|<!DOCTYPE/);
    const titles = elements(svg)
      .filter((e) => e.name === "title")
      .map((e) => e.text);
    expect(titles).toEqual(expect.arrayContaining(["checkout", "ship", "hasEmail", "sendTrackingCode", "end"]));
  });

  it("links the reached tasks that have a URL, and no others", async () => {
    const everything = instance([
      task("t1", "checkout", "succeeded"),
      task("t2", "ship", "succeeded", ["t1"]),
      task("t3", "hasEmail", "scheduled", ["t2"]),
    ]);
    const taskUrl = (t: { name: string; id: string }) => `/shipping/${t.name}/${t.id}/`;
    const svg = await renderSvg(instanceGraph(shipping, everything, { taskUrl }));
    expect(isWellFormed(svg)).toBe(true);
    const links = elements(svg)
      .filter((e) => e.name === "a" && e.attributes["xlink:href"])
      .map((e) => e.attributes["xlink:href"]);
    expect(links.sort()).toEqual(["/shipping/checkout/t1/", "/shipping/hasEmail/t3/", "/shipping/ship/t2/"]);
  });

  it("links only the open human task of an instance in progress, as the web app asks", async () => {
    const svg = await renderSvg(instanceGraph(shipping, inProgress, { taskUrl: openHumanTaskUrl }));
    expect(isWellFormed(svg)).toBe(true);
    expect(svg).toContain('<a xlink:href="/shipping/ship/t2/"');
    expect(elements(svg).filter((e) => e.name === "a" && e.attributes["xlink:href"])).toHaveLength(1);
  });

  it("drops links that are not relative or http(s)", async () => {
    const dot = instanceGraph(shipping, inProgress, { taskUrl: () => "javascript:alert(1)" });
    expect(dot).not.toContain("javascript");
    expect(instanceGraph(shipping, inProgress, { taskUrl: () => "https://example.com/x" })).toContain(
      'href = "https://example.com/x"',
    );
  });

  it("reports a DOT syntax error and keeps working afterwards", async () => {
    await expect(renderSvg("digraph { a -> }")).rejects.toThrow();
    expect(await renderSvg("digraph { a -> b }")).toContain("<svg");
  });

  it("loads Graphviz once: warm calls are fast", async () => {
    await renderSvg(workflowGraph(shipping));
    const start = performance.now();
    for (let i = 0; i < 10; i++) await renderSvg(workflowGraph(shipping));
    // Loading the WASM module alone takes hundreds of milliseconds; ten warm renders take far less.
    expect(performance.now() - start).toBeLessThan(500);
  });
});
