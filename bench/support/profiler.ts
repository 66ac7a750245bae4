/** The main thread's CPU profile, through the inspector (sampled, so cheap enough to run during a phase). */
import { Session } from "node:inspector/promises";

/** A connected session with the profiler enabled, sampling every `intervalUs` µs; call Profiler.start/stop on it. */
export async function openProfiler(intervalUs: number): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: intervalUs });
  return session;
}

/** Where a sampled function comes from: its npm package (node_modules/…), or what `local` makes of the URL. */
export function packageOf(url: string, functionName: string, local: (url: string) => string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  return local(url);
}
