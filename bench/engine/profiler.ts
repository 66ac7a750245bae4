/**
 * --profile: the main thread's CPU profile during the solo runs (the workers then run in debugMode, so
 * the workflow code runs there too): self time by package and by function, per side, and joeflow's
 * largest increases over the baseline.
 */
import type { Session } from "node:inspector/promises";
import { ROOT } from "../support/paths.ts";
import { openProfiler, packageOf } from "../support/profiler.ts";
import { ms } from "../support/stats.ts";
import { type Side, SIDES } from "./options.ts";

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }

let session: Session | undefined;
/** Self time (ms, summed over the runs) by side and package, and by side and function. */
const byPackage: Record<Side, Map<string, number>> = { joeflow: new Map(), baseline: new Map() };
const byFunction: Record<Side, Map<string, number>> = { joeflow: new Map(), baseline: new Map() };

/** Profiles from now until stopProfile(). */
export async function startProfile(): Promise<void> {
  session ??= await openProfiler(100);
  await session.post("Profiler.start");
}

/** Adds the samples since startProfile() to the side's totals. */
export async function stopProfile(side: Side): Promise<void> {
  const { profile } = await session!.post("Profiler.stop") as unknown as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!.callFrame;
    const self = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (frame.functionName === "(idle)") return;
    const pkg = packageOf(frame.url, frame.functionName, localPart);
    byPackage[side].set(pkg, (byPackage[side].get(pkg) ?? 0) + self);
    const fn = `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*node_modules\//, "").replace(ROOT, "")}:${frame.lineNumber + 1}`;
    byFunction[side].set(fn, (byFunction[side].get(fn) ?? 0) + self);
  });
}

function localPart(url: string): string {
  if (url.startsWith("node:")) return "node";
  if (url.includes("/src/")) return "joeflow src";
  if (url.includes("/bench/")) return "bench";
  return url;
}

/** Prints the totals per instance of `runs` solo runs per side. */
export function printProfile(runs: number): void {
  console.log(`
main-thread CPU profile of the solo runs (self time per instance, idle excluded)`);
  for (const side of SIDES) {
    const total = [...byPackage[side].values()].reduce((a, b) => a + b, 0) / runs;
    const packages = [...byPackage[side]].sort((a, b) => b[1] - a[1]).slice(0, 10)
      .map(([k, v]) => `${k} ${(v / runs).toFixed(1)}`).join(", ");
    console.log(`  ${side.padEnd(8)} ${ms(total)}: ${packages}`);
    const functions = [...byFunction[side]].sort((a, b) => b[1] - a[1]).slice(0, 12);
    for (const [k, v] of functions) console.log(`      ${(v / runs).toFixed(2).padStart(7)} ms  ${k}`);
  }
  const diff = (map: Record<Side, Map<string, number>>, n: number) => {
    const keys = new Set([...map.joeflow.keys(), ...map.baseline.keys()]);
    return [...keys].map((k) => [k, ((map.joeflow.get(k) ?? 0) - (map.baseline.get(k) ?? 0)) / runs] as const)
      .sort((a, b) => b[1] - a[1]).slice(0, n);
  };
  console.log(`  joeflow minus baseline, by package: ${diff(byPackage, 10).map(([k, v]) => `${k} ${v >= 0 ? "+" : ""}${v.toFixed(1)}`).join(", ")}`);
  console.log(`  joeflow minus baseline, largest increases by function:`);
  for (const [k, v] of diff(byFunction, 15)) console.log(`      +${v.toFixed(2).padStart(6)} ms  ${k}`);
}
