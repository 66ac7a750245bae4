/**
 * --profile: the main thread's CPU profile during one phase (the saturated POSTs on PostgreSQL, the
 * index's first page): busy self time by package and by function; the raw profile is kept in a file.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/paths.ts";
import { openProfiler, packageOf } from "../support/profiler.ts";
import { TAG } from "./options.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }

let profiles = 0;

/** Profiles from now until stop(), which returns the lines to print. */
export async function startProfile(): Promise<{ stop: () => Promise<string[]> }> {
  const session = await openProfiler(1000);
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      const file = join(tmpdir(), `joeflow-bench-web-${TAG}-${++profiles}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return summarize(profile, file);
    },
  };
}

/** Self time (ms) by node, leaving out the profiler's own work (its stop call), found by the inspector frames above it. */
function selfTimes(profile: Profile): Map<number, number> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const profilerOwn = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)?.callFrame.url.startsWith("node:inspector")) return true;
    }
    return false;
  };
  const ticks = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    if (!profilerOwn(id)) ticks.set(id, (ticks.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  return ticks;
}

function summarize(profile: Profile, file: string): string[] {
  const ticks = selfTimes(profile);
  const idle = profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").reduce((a, n) => a + (ticks.get(n.id) ?? 0), 0);
  for (const n of profile.nodes) if (n.callFrame.functionName === "(idle)") ticks.delete(n.id);
  const total = [...ticks.values()].reduce((a, b) => a + b, 0);
  const byGroup = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const t = ticks.get(node.id) ?? 0;
    if (!t) continue;
    const { url, functionName, lineNumber } = node.callFrame;
    const group = packageOf(url.replace(/^file:\/\//, ""), functionName, localPart);
    byGroup.set(group, (byGroup.get(group) ?? 0) + t);
    const fn = `${functionName || "(anonymous)"} ${url.replace(/^file:\/\//, "").replace(ROOT, "")}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + t);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, v]) => `${(v / total * 100).toFixed(1).padStart(5)} %  ${k}`);
  return [
    `main thread CPU profile: ${(total / 1000).toFixed(1)} s busy, ${(idle / 1000).toFixed(1)} s idle (${file}); busy self time by package:`,
    ...top(byGroup, 14).map((l) => `  ${l}`),
    `top functions by self time:`,
    ...top(byFunction, 20).map((l) => `  ${l}`),
  ];
}

function localPart(path: string): string {
  if (path.startsWith("node:")) return "node internals";
  if (path.startsWith(ROOT)) return `joeflow ${path.slice(ROOT.length).split("/").slice(0, 2).join("/")}`;
  return path;
}
