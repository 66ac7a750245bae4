/**
 * SVG from DOT with Graphviz compiled to WebAssembly: no system binary, runs on Node, Deno and in
 * browsers. The WASM module takes a few hundred milliseconds to load, so it is loaded once and reused.
 */
import { Graphviz } from "@hpcc-js/wasm-graphviz";

let loading: Promise<Graphviz> | undefined;

function graphviz(): Promise<Graphviz> {
  loading ??= Graphviz.load().catch((error: unknown) => {
    loading = undefined; // a failed load is tried again on the next call instead of failing forever
    throw error;
  });
  return loading;
}

/**
 * The SVG of a DOT graph, starting at `<svg`: without the XML prolog and doctype, so it can be
 * inlined in HTML. Graphviz escapes labels, tooltips and links as XML, and the DOT writers of
 * this folder quote every value, so task names and exceptions stay text.
 */
export async function renderSvg(dot: string): Promise<string> {
  const svg = (await graphviz()).dot(dot, "svg");
  const start = svg.indexOf("<svg");
  if (start < 0) throw new Error("Graphviz returned no <svg> element");
  return svg.slice(start);
}
