/**
 * Text from instances (exceptions, user names, names of tasks the definition no longer has) must
 * stay text in every output: no DOT statement, no markup, no Mermaid syntax can come out of it.
 */
import { Graphviz } from "@hpcc-js/wasm-graphviz";
import { instanceGraph, instanceMermaid, renderSvg } from "joeflow/render";
import { beforeAll, describe, expect, it } from "vitest";
import { instance, shipping, task } from "./helpers.ts";
import { elements, isWellFormed } from "./xml.ts";

/** Closes a DOT string and attribute list, declares nodes, opens markup, ends with a backslash. */
const EVIL = '"]; evil [shape=box]; x [label="<script>alert(1)</script>\\';
/** Looks like an HTML-like label as a whole, which ts-graphviz would write unquoted. */
const HTML_LIKE = "<script>alert(1)</script>";
const EVIL_NAME = 'gone"]; <script>alert(2)</script> -->';

const view = instance([
  task("t1", "checkout", "succeeded"),
  task("t2", "ship", "failed", ["t1"], { exception: EVIL }),
  task("t3", "hasEmail", "failed", ["t1"], { exception: HTML_LIKE }),
  task("t4", EVIL_NAME, "succeeded", ["t2"]),
  task("t5", "override", "succeeded", ["t4"], { completedByUser: HTML_LIKE }),
]);
const taskUrl = (t: { name: string; id: string }) => `/shipping/${encodeURIComponent(t.name)}/${t.id}/?q="><script>`;
const EXPECTED_NODES = ["checkout", "end", "hasEmail", "override_t5", "sendTrackingCode", "ship", EVIL_NAME].sort();

interface GraphvizObject {
  readonly name: string;
  readonly tooltip?: string;
  readonly label?: string;
  readonly href?: string;
}

describe("escaping", () => {
  let graphviz: Graphviz;
  beforeAll(async () => {
    graphviz = await Graphviz.load();
  });

  it("DOT: Graphviz reads exactly the nodes and edges meant, each text whole", () => {
    const dot = instanceGraph(shipping, view, { taskUrl });
    // Graphviz's own parser, writing back what it read as JSON.
    const parsed = JSON.parse(graphviz.dot(dot, "json")) as {
      objects: GraphvizObject[];
      edges: { tail: number; head: number }[];
    };
    expect(parsed.objects.map((o) => o.name).sort()).toEqual(EXPECTED_NODES);
    const edges = parsed.edges.map((e) => `${parsed.objects[e.tail]!.name} -> ${parsed.objects[e.head]!.name}`);
    expect(edges.sort()).toEqual(
      [
        // The definition's five, and the instance's own: checkout->hasEmail and the two of the obsolete task.
        "checkout -> hasEmail",
        "checkout -> ship",
        "hasEmail -> end",
        "hasEmail -> sendTrackingCode",
        `${EVIL_NAME} -> override_t5`,
        "sendTrackingCode -> end",
        `ship -> ${EVIL_NAME}`,
        "ship -> hasEmail",
      ].sort(),
    );
    const byName = new Map(parsed.objects.map((o) => [o.name, o]));
    // Graphviz keeps a doubled backslash in what it read and shows it as one.
    expect(byName.get("ship")?.tooltip?.replaceAll("\\\\", "\\")).toBe(EVIL);
    expect(byName.get("hasEmail")?.tooltip).toBe(HTML_LIKE);
    expect(byName.get("override_t5")?.tooltip).toBe(`by ${HTML_LIKE}`);
    expect(byName.get(EVIL_NAME)?.label).toBe(EVIL_NAME);
    expect(byName.get("checkout")?.href).toBe(taskUrl({ name: "checkout", id: "t1" }));
    expect(dot).not.toMatch(/= </); // no value written as an unquoted HTML-like label
  });

  it("SVG: well-formed, no element from the text, every text shown as given", async () => {
    const svg = await renderSvg(instanceGraph(shipping, view, { taskUrl }));
    expect(isWellFormed(svg)).toBe(true);
    const all = elements(svg);
    expect(all.filter((e) => e.name === "script")).toEqual([]);
    expect(svg).not.toContain("<script");
    const titles = all.map((e) => e.attributes["xlink:title"]).filter((title) => title !== undefined);
    expect(titles).toEqual(expect.arrayContaining([EVIL, HTML_LIKE, `by ${HTML_LIKE}`]));
    expect(all.filter((e) => e.name === "text").map((e) => e.text)).toContain(EVIL_NAME);
    expect(all.filter((e) => e.name === "a").map((e) => e.attributes["xlink:href"])).toContain(
      taskUrl({ name: "ship", id: "t2" }),
    );
  });

  it("Mermaid: every label a single quoted string of plain characters and entities", () => {
    const text = instanceMermaid(shipping, view, { taskUrl });
    expect(text).not.toContain("<script");
    expect(text).not.toContain("evil [");
    const nodeLines = text.split("\n").filter((line) => /^ {2}t_\w+[[(]/.test(line));
    expect(nodeLines).toHaveLength(EXPECTED_NODES.length);
    for (const line of nodeLines)
      expect(line).toMatch(/^ {2}t_\w+(\("[^"<>`]*(<br>[^"<>`]*)?"\)|\["[^"<>`]*(<br>[^"<>`]*)?"\])$/);
    // Mermaid shows `#<code>;` as that character: decoding gives the text back.
    const decode = (s: string) => s.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
    const labels = nodeLines.map((line) => decode(/"(.*)"/.exec(line)![1]!));
    expect(labels).toEqual(expect.arrayContaining([EVIL_NAME, `ship<br>${EVIL}`, `hasEmail<br>${HTML_LIKE}`]));
    for (const line of text.split("\n").filter((l) => l.startsWith("  click "))) {
      expect(line).toMatch(/^ {2}click t_\w+ href "[^"\s<>]*"$/);
    }
  });
});
