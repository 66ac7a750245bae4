/**
 * The Temporal SDK's own download of the prebuilt servers (from temporal.download): seconds where
 * it is reachable, so it comes before building the CLI with Go (minutes) or fetching the test
 * server with Maven. Whether it is reachable is asked once per process, with a short timeout, so a
 * machine that reaches no download site falls back at once instead of waiting on the SDK.
 *
 * Downloads go to <cache>/sdk-download, so removing the cache folder removes them too.
 * JOEFLOW_TEMPORAL_DOWNLOAD=0 skips the download (build or fetch instead).
 */
import { join } from "node:path";
import process from "node:process";
import type { EphemeralServerExecutable } from "@temporalio/testing";
import { cacheDir } from "./cache.ts";

const SDK_NAME = "sdk-typescript";
/** The SDK's version decides which server builds temporal.download hands out ("default"). */
const SDK_VERSION = "1.24.0";
/** How long the reachability check may take, in all. */
export const DOWNLOAD_PROBE_TIMEOUT_MS = 3000;

export type Artifact = "cli" | "temporal-test-server";

/** Folder for the SDK's downloads (not created). */
export function sdkDownloadDir(): string {
  return join(cacheDir(), "sdk-download");
}

/** The SDK's download, into the cache folder; kept for 30 days before it asks for a newer one. */
export function sdkDownload(): EphemeralServerExecutable {
  return { type: "cached-download", downloadDir: sdkDownloadDir(), ttl: "30d" };
}

const probes = new Map<Artifact, Promise<boolean>>();

/**
 * True when temporal.download answers for `artifact` and the archive it names can be reached,
 * within DOWNLOAD_PROBE_TIMEOUT_MS. False at once with JOEFLOW_TEMPORAL_DOWNLOAD=0.
 */
export function sdkDownloadReachable(artifact: Artifact): Promise<boolean> {
  if (process.env.JOEFLOW_TEMPORAL_DOWNLOAD === "0") return Promise.resolve(false);
  let probe = probes.get(artifact);
  if (probe === undefined) {
    probe = probeDownload(artifact).catch(() => false);
    probes.set(artifact, probe);
  }
  return probe;
}

async function probeDownload(artifact: Artifact): Promise<boolean> {
  const platform = { linux: "linux", darwin: "darwin", win32: "windows" }[process.platform as string];
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  if (platform === undefined || arch === undefined) return false;
  const signal = AbortSignal.timeout(DOWNLOAD_PROBE_TIMEOUT_MS);
  const query = new URLSearchParams({ platform, arch, "sdk-name": SDK_NAME, "sdk-version": SDK_VERSION });
  const info = await fetch(`https://temporal.download/${artifact}/default?${query}`, { signal });
  if (!info.ok) return false;
  const { archiveUrl } = (await info.json()) as { archiveUrl?: unknown };
  if (typeof archiveUrl !== "string") return false;
  const archive = await fetch(archiveUrl, { method: "HEAD", signal });
  return archive.ok;
}
