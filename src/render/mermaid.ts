/**
 * Workflow and instance graphs as Mermaid flowcharts, with the same meaning as the DOT ones (both
 * are written from one picture): human tasks rounded, and classes for what the DOT look shows
 * with colours and borders. Imports nothing Node-only.
 */
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

export interface MermaidOptions {
  /** Adds a small key of the node classes. */
  readonly legend?: boolean;
}

export interface InstanceMermaidOptions extends InstanceOptions, MermaidOptions {}

const GREY = "#888888";
/** Too long an exception would stretch its node across the page; the DOT tooltip has room for more. */
const MAX_EXCEPTION = 80;

/**
 * Later classes win where they conflict, so the order goes from the type to the state to the
 * exceptional: a failed override is red and dashed.
 */
const CLASS_DEFS: readonly (readonly [string, string])[] = [
  ["human", "fill:#fff,stroke:#000,color:#000"],
  ["machine", "fill:#fff,stroke:#000,color:#000"],
  ["unreached", `stroke:${GREY},color:${GREY}`],
  ["open", "stroke-width:3px,font-weight:bold"],
  ["finished", "stroke-width:4px,stroke-dasharray:0,fill:#f4f4f4"],
  ["override", "stroke-dasharray:5 5"],
  ["obsolete", "stroke-dasharray:5 5"],
  ["canceled", "stroke-dasharray:2 2,fill:#eee"],
  ["failed", "stroke:red,color:red"],
];

export function workflowMermaid(source: GraphSource, options: MermaidOptions = {}): string {
  return toMermaid(workflowPicture(source), options.legend ? legendNodes("workflow") : []);
}

export function instanceMermaid(
  source: GraphSource,
  instance: InstanceSource,
  options: InstanceMermaidOptions = {},
): string {
  return toMermaid(instancePicture(source, instance, options), options.legend ? legendNodes("instance") : []);
}

function toMermaid(picture: Picture, legend: readonly PictureNode[]): string {
  const ids = mermaidIds([...picture.nodes, ...legend].map((node) => node.id));
  const idOf = (node: PictureNode | string) => ids.get(typeof node === "string" ? node : node.id)!;
  const lines = [`flowchart ${picture.rankdir}`];
  lines.push(...CLASS_DEFS.map(([name, style]) => `  classDef ${name} ${style}`));
  lines.push(...picture.nodes.map((node) => `  ${shape(idOf(node), node)}`));

  const greyLinks: number[] = [];
  picture.edges.forEach((edge, index) => {
    lines.push(`  ${idOf(edge.from)} ${edge.dashed ? "-.->" : "-->"} ${idOf(edge.to)}`);
    if (!edge.reached) greyLinks.push(index);
  });
  if (greyLinks.length) lines.push(`  linkStyle ${greyLinks.join(",")} stroke:${GREY}`);

  if (legend.length) {
    lines.push(`  subgraph legend ["legend"]`);
    lines.push(...legend.map((node) => `    ${shape(idOf(node), node)}`));
    // Invisible links keep the samples together in one row.
    lines.push(`    ${legend.map(idOf).join(" ~~~ ")}`);
    lines.push("  end");
  }

  const members = new Map<string, string[]>(CLASS_DEFS.map(([name]) => [name, []]));
  for (const node of [...picture.nodes, ...legend]) {
    for (const name of classesOf(node)) members.get(name)!.push(idOf(node));
  }
  for (const [name, nodeIds] of members) if (nodeIds.length) lines.push(`  class ${nodeIds.join(",")} ${name}`);

  for (const node of picture.nodes)
    if (node.href !== undefined) lines.push(`  click ${idOf(node)} href "${url(node.href)}"`);
  return `${lines.join("\n")}\n`;
}

function classesOf(node: PictureNode): string[] {
  const flags: [string, boolean][] = [
    ["unreached", !node.reached],
    ["open", node.open],
    ["finished", node.finished],
    ["override", node.override],
    ["obsolete", node.obsolete],
    ["canceled", node.canceled && !node.obsolete],
    ["failed", node.failed],
  ];
  return [node.type, ...flags.filter(([, on]) => on).map(([name]) => name)];
}

/**
 * Human tasks rounded, machine tasks square, sub-workflow tasks a subroutine (the workflow they start
 * named after the task), as in the DOT graph; a failed task shows its exception.
 */
function shape(id: string, node: PictureNode): string {
  const exception =
    node.failed && node.tooltip ? `<br>${label(node.tooltip.split("\n")[0]!.slice(0, MAX_EXCEPTION))}` : "";
  const name = node.subflow === undefined ? node.label : `${node.label} (${node.subflow})`;
  const text = `"${label(name)}${exception}"`;
  if (node.subflow !== undefined) return `${id}[[${text}]]`;
  return node.type === "human" ? `${id}(${text})` : `${id}[${text}]`;
}

/**
 * Mermaid ids: `t_` and the name's letters, digits and underscores. The prefix keeps clear of
 * Mermaid's words (a task named `end` would close the chart) and of its `o`/`x` edge endings.
 */
function mermaidIds(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    const base = `t_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(name, id);
  }
  return ids;
}

/**
 * Text inside a quoted Mermaid label. Everything but plain letters, digits and a little
 * punctuation becomes Mermaid's `#code;` entity, which it shows as that character: quotes, `<`,
 * brackets and backticks can neither end the label nor become markup.
 */
function label(value: string): string {
  return [...value.replace(/\s+/g, " ")]
    .map((ch) => (/^[A-Za-z0-9 _.,:!?'()/=+-]$/.test(ch) ? ch : `#${ch.codePointAt(0)};`))
    .join("");
}

/** A link inside double quotes: what could end the string or the line is percent-encoded, as in any URL. */
function url(value: string): string {
  return value.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      return ""; // a lone surrogate has no UTF-8 form
    }
  });
}
