/**
 * Workflow and instance graphs as Graphviz DOT, in joeflow's look, built with ts-graphviz.
 * Imports nothing Node-only, so it runs on Node, Deno and in browsers.
 */
import {
  type EdgeAttributesObject,
  type GraphBaseModel,
  type NodeAttributesObject,
  type NodeModel,
  type RootGraphModel,
  digraph,
} from "ts-graphviz";
import {
  type GraphSource,
  type InstanceOptions,
  type InstanceSource,
  type Picture,
  type PictureNode,
  instancePicture,
  legendNodes,
  workflowPicture,
} from "./picture.ts";

export interface WorkflowGraphOptions {
  /** Adds a small key of the node looks. */
  readonly legend?: boolean;
}

export interface InstanceGraphOptions extends InstanceOptions, WorkflowGraphOptions {}

const GREY = "#888888";
const CANCELED_FILL = "#eeeeee";
const LEGEND_ROW = 4;

/** The definition's graph: every task and edge in black, human tasks rounded. */
export function workflowGraph(source: GraphSource, options: WorkflowGraphOptions = {}): string {
  return toDot(workflowPicture(source), options.legend ? legendNodes("workflow") : []);
}

/**
 * One instance over its definition: what it never reached is grey; reached tasks are black and
 * linked, open ones bold, finished ends double-bordered, failed ones red with their exception as
 * tooltip; override and obsolete tasks and their edges are dashed; canceled tasks dotted on grey.
 */
export function instanceGraph(
  source: GraphSource,
  instance: InstanceSource,
  options: InstanceGraphOptions = {},
): string {
  return toDot(instancePicture(source, instance, options), options.legend ? legendNodes("instance") : []);
}

function toDot(picture: Picture, legend: readonly PictureNode[]): string {
  const graph = digraph(picture.name, { rankdir: picture.rankdir }, (g) => {
    g.node({ fillcolor: "white", fontname: "sans-serif", shape: "rect", style: "filled" });
    const models = new Map<string, NodeModel>();
    for (const node of picture.nodes) models.set(node.id, addNode(g, node));
    for (const edge of picture.edges) {
      const from = models.get(edge.from);
      const to = models.get(edge.to);
      if (!from || !to) continue; // every edge end is a node of the picture; this only satisfies the types
      const attributes: EdgeAttributesObject = { color: edge.reached ? "black" : GREY };
      // Edge ends are the node models, never strings: ts-graphviz would read a colon in a string as a port.
      g.edge([from, to], edge.dashed ? { ...attributes, style: "dashed" } : attributes);
    }
    if (legend.length) {
      g.subgraph("cluster_legend", { label: "legend", color: GREY, fontcolor: GREY, fontname: "sans-serif" }, (key) => {
        const samples = legend.map((node) => addNode(key, node));
        // Invisible edges lay the samples out in rows of four instead of one long column.
        samples.forEach((sample, i) => {
          const next = samples[i + 1];
          if (next && (i + 1) % LEGEND_ROW !== 0) key.edge([sample, next], { style: "invis" });
        });
      });
    }
  });
  return print(graph);
}

function addNode(g: GraphBaseModel, node: PictureNode): NodeModel {
  const style = [
    "filled",
    node.type === "human" && "rounded",
    (node.override || node.obsolete) && "dashed",
    node.canceled && !node.obsolete && "dotted",
    node.open && "bold",
  ]
    .filter(Boolean)
    .join(", ");
  const color = !node.reached ? GREY : node.failed ? "red" : "black";
  // Keys in alphabetical order so every line reads the same way.
  const attributes: NodeAttributesObject = {
    color,
    ...(node.canceled ? { fillcolor: CANCELED_FILL } : {}),
    fontcolor: color,
    ...(node.href === undefined ? {} : { href: node.href }),
    label: node.subflow === undefined ? node.label : `${node.label} (${node.subflow})`,
    ...(node.finished ? { peripheries: 2 } : {}),
    // A sub-workflow task: a box with depth, another workflow inside it.
    ...(node.subflow === undefined ? {} : { shape: "box3d" }),
    style: style as NodeAttributesObject["style"],
    ...(node.tooltip === undefined ? {} : { tooltip: node.tooltip }),
  };
  return g.node(node.id, attributes);
}

/**
 * DOT text of the model, one statement per line (fixtures compare sets of lines), every id and
 * string value quoted and escaped. ts-graphviz's own printer is not used: it leaves backslashes
 * alone (a value ending in `\` would escape its closing quote and let the rest of the line in as
 * DOT), writes any value that looks like `<...>` unquoted as an HTML-like label, and takes most of
 * the time of a warm SVG render on a 100-task graph.
 */
function print(graph: RootGraphModel): string {
  const lines = [`${graph.strict ? "strict " : ""}${graph.directed ? "digraph" : "graph"} ${quote(graph.id ?? "")} {`];
  printBody(graph, "  ", lines);
  lines.push("}");
  return lines.join("\n");
}

function printBody(graph: GraphBaseModel, indent: string, lines: string[]): void {
  for (const [key, value] of graph.values) lines.push(`${indent}${key} = ${literal(value)};`);
  for (const [kind, group] of Object.entries(graph.attributes)) {
    if (group.size) lines.push(`${indent}${kind}${attributeList(group.values)};`);
  }
  for (const node of graph.nodes) lines.push(`${indent}${quote(node.id)}${attributeList(node.attributes.values)};`);
  for (const subgraph of graph.subgraphs) {
    lines.push(`${indent}subgraph ${quote(subgraph.id ?? "")} {`);
    printBody(subgraph, `${indent}  `, lines);
    lines.push(`${indent}}`);
  }
  for (const edge of graph.edges) {
    const ends = edge.targets.map((target) => ("id" in target ? quote(target.id) : ""));
    lines.push(`${indent}${ends.join(" -> ")}${attributeList(edge.attributes.values)};`);
  }
}

function attributeList(values: ReadonlyArray<readonly [string, unknown]>): string {
  return values.length ? ` [${values.map(([key, value]) => `${key} = ${literal(value)}`).join(", ")}]` : "";
}

function literal(value: unknown): string {
  return typeof value === "number" && Number.isFinite(value) ? String(value) : quote(String(value));
}

/**
 * Any text as a DOT quoted string. Graphviz reads `\\` back as one backslash and `\"` as a quote,
 * so the text shows as given (and `\N`, `\G`... are not expanded); a line break becomes `\n`
 * (a break in a label or tooltip) so a statement stays on one line; NUL would end a C string.
 */
function quote(value: string): string {
  const escaped = value
    .replaceAll("\\", "\\\\")
    .replaceAll('"', '\\"')
    .replace(/\r\n?|\n/g, "\\n")
    .replaceAll("\0", "");
  return `"${escaped}"`;
}
