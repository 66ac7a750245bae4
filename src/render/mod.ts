/**
 * Pictures of workflows and their instances: DOT (ts-graphviz), SVG (Graphviz as WebAssembly) and
 * Mermaid. Runs wherever JavaScript does; PNG, which needs a native module, is in png.ts.
 */
export { instanceGraph, workflowGraph } from "./dot.ts";
export type { InstanceGraphOptions, WorkflowGraphOptions } from "./dot.ts";
export { instanceMermaid, workflowMermaid } from "./mermaid.ts";
export type { InstanceMermaidOptions, MermaidOptions } from "./mermaid.ts";
export type { GraphSource, InstanceOptions, InstanceSource } from "./picture.ts";
export { renderSvg } from "./svg.ts";
