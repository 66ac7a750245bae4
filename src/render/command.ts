/**
 * `joeflow render`, after joeflow's `render_workflow_graph`: writes the graph of each workflow a
 * module exports as <dir>/<name>.<ext>. Node only (files, dynamic import); bin/joeflow.ts calls it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { CompiledGraph } from "../graph/types.ts";
import { workflowGraph } from "./dot.ts";
import { workflowMermaid } from "./mermaid.ts";
import { renderSvg } from "./svg.ts";

export const RENDER_USAGE = `usage: joeflow render <module> [workflow ...] [-f svg|png|dot|mermaid] [-d DIR] [--legend]

Writes the graph of each workflow that <module> exports to DIR/<name>.<ext>.
  <module>           a file exporting workflow definitions (from defineWorkflow)
  workflow ...       the workflows to render, by name; all of them when none is given
  -f, --format FMT   svg (default), png, dot or mermaid (written as .mmd)
  -d, --dir DIR      where to write the files; default the current directory
  -l, --legend       add a key of the node looks
`;

const FORMATS = { svg: "svg", png: "png", dot: "dot", mermaid: "mmd" } as const;
type Format = keyof typeof FORMATS;

/** Exit codes: 0 done, 1 the run failed (unknown workflow, unreadable module), 2 wrong usage. */
export interface CommandIo {
  readonly cwd: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const processIo: CommandIo = {
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

interface Renderable {
  readonly name: string;
  readonly graph: CompiledGraph;
}

export async function renderCommand(args: readonly string[], io: CommandIo = processIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(args);
  } catch (error) {
    return usageError(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(RENDER_USAGE);
    return 0;
  }
  const [modulePath, ...names] = positionals;
  if (modulePath === undefined) return usageError(io, "missing <module>");
  if (!(values.format in FORMATS)) return usageError(io, `unknown format "${values.format}"`);
  const format = values.format as Format;

  let workflows: Map<string, Renderable>;
  try {
    workflows = exportedWorkflows(await import(pathToFileURL(resolve(io.cwd, modulePath)).href));
  } catch (error) {
    io.err(`joeflow render: cannot load ${modulePath}: ${(error as Error).message}`);
    return 1;
  }
  if (workflows.size === 0) {
    io.err(`joeflow render: ${modulePath} exports no workflow definitions`);
    return 1;
  }
  const unknown = names.filter((name) => !workflows.has(name));
  if (unknown.length) {
    const list = unknown.map((name) => `"${name}"`).join(", ");
    io.err(`joeflow render: unknown workflow ${list}; ${modulePath} exports ${[...workflows.keys()].join(", ")}`);
    return 1;
  }

  const dir = resolve(io.cwd, values.dir);
  await mkdir(dir, { recursive: true });
  for (const name of names.length ? [...new Set(names)] : [...workflows.keys()].sort()) {
    const file = join(dir, `${fileName(name)}.${FORMATS[format]}`);
    await writeFile(file, await render(workflows.get(name)!, format, values.legend));
    io.out(file);
  }
  return 0;
}

async function render(workflow: Renderable, format: Format, legend: boolean): Promise<string | Uint8Array> {
  switch (format) {
    case "mermaid":
      return workflowMermaid(workflow, { legend });
    case "dot":
      return `${workflowGraph(workflow, { legend })}\n`;
    case "svg":
      return `${await renderSvg(workflowGraph(workflow, { legend }))}\n`;
    case "png": {
      // Only PNG needs resvg's native module: the other formats work even where it cannot load.
      const { renderPng } = await import("./png.ts");
      return renderPng(workflowGraph(workflow, { legend }));
    }
  }
}

/** Every exported definition (anything with a `.name` and a compiled `.graph`), by name, first export wins. */
function exportedWorkflows(module: Record<string, unknown>): Map<string, Renderable> {
  const found = new Map<string, Renderable>();
  for (const value of Object.values(module)) {
    if (isRenderable(value) && !found.has(value.name)) found.set(value.name, value);
  }
  return found;
}

function isRenderable(value: unknown): value is Renderable {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const { name, graph } = value as { name?: unknown; graph?: unknown };
  if (typeof name !== "string" || typeof graph !== "object" || graph === null) return false;
  const { tasks, edges } = graph as { tasks?: unknown; edges?: unknown };
  return typeof tasks === "object" && tasks !== null && Array.isArray(edges);
}

/** Definitions' names are already safe; a hand-made object's could hold a path, which must not escape DIR. */
function fileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_");
}

function usageError(io: CommandIo, message: string): number {
  io.err(`joeflow render: ${message}\n\n${RENDER_USAGE}`);
  return 2;
}

function parseCommand(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      format: { type: "string", short: "f", default: "svg" },
      dir: { type: "string", short: "d", default: "." },
      legend: { type: "boolean", short: "l", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
