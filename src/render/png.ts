/**
 * PNG without a system binary: the SVG from Graphviz-as-WebAssembly, rasterised by resvg, whose
 * npm package ships a prebuilt native module per platform. Node only, hence not in mod.ts.
 */
import { Resvg } from "@resvg/resvg-js";
import { renderSvg } from "./svg.ts";

export interface PngOptions {
  /** Pixels per SVG point; 2 gives sharp text on high-density screens. Default 2. */
  readonly scale?: number;
}

/**
 * Graphviz sized the boxes with Arial's widths for "sans-serif"; a wider fallback font (DejaVu Sans,
 * say) would overflow them, so Arial and its metric twins are asked for first.
 */
const SANS_SERIF = "Arial, Helvetica, Liberation Sans, Arimo, sans-serif";

export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const resvg = new Resvg(svg.replaceAll('font-family="sans-serif"', `font-family="${SANS_SERIF}"`), {
    background: "white",
    fitTo: { mode: "zoom", value: options.scale ?? 2 },
    font: { loadSystemFonts: true },
  });
  return resvg.render().asPng();
}

export async function renderPng(dot: string, options: PngOptions = {}): Promise<Uint8Array> {
  return svgToPng(await renderSvg(dot), options);
}
