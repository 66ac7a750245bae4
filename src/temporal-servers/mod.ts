/**
 * Finding or fetching the Temporal servers that tests and the demo run:
 * the Java time-skipping test server and the Temporal CLI dev server.
 * Node only (file paths, child processes).
 */
import type { EphemeralServerExecutable } from "@temporalio/testing";
import { findDevServer } from "./dev-server.ts";
import { sdkDownload, sdkDownloadDir, sdkDownloadReachable } from "./download.ts";
import { findTestServer } from "./test-server.ts";
import { log } from "./util.ts";
import { watchedExecutable } from "./watchdog.ts";

export { cacheDir, findProjectRoot } from "./cache.ts";
export {
  DEV_SERVER_DYNAMIC_CONFIG,
  TEMPORAL_CLI_VERSION,
  devServerArgs,
  devServerBinaryPath,
  devServerDir,
  findDevServer,
  goCacheDir,
} from "./dev-server.ts";
export {
  type Artifact,
  DOWNLOAD_PROBE_TIMEOUT_MS,
  sdkDownload,
  sdkDownloadDir,
  sdkDownloadReachable,
} from "./download.ts";
export { TEST_SERVER_VERSION, findTestServer, testServerDir, testServerScriptPath } from "./test-server.ts";
export { watchedExecutable, watchedPath } from "./watchdog.ts";
export type { EphemeralServerExecutable };

/**
 * For `TestWorkflowEnvironment.createTimeSkipping({ server: { executable } })`, first of: the test
 * server on disk; the SDK's prebuilt download where temporal.download is reachable (asked with a
 * short timeout); the test server fetched with Maven; the SDK's download all the same.
 * A server on disk runs under a watchdog that stops it when this process dies (watchdog.ts).
 */
export async function testServerExecutable(options: { fetch?: boolean } = {}): Promise<EphemeralServerExecutable> {
  const onDisk = await findTestServer({ fetch: false });
  if (onDisk !== undefined) return { type: "existing-path", path: await watchedExecutable(onDisk) };
  if (await sdkDownloadReachable("temporal-test-server")) return downloading("the test server");
  const fetched = options.fetch === false ? undefined : await findTestServer(options);
  return fetched === undefined ? sdkDownload() : { type: "existing-path", path: await watchedExecutable(fetched) };
}

/**
 * For `TestWorkflowEnvironment.createLocal({ server: { executable } })`, first of: the Temporal CLI
 * on disk; the SDK's prebuilt download where temporal.download is reachable (asked with a short
 * timeout); the CLI built with Go (minutes, the first time); the SDK's download all the same.
 * A server on disk runs under a watchdog that stops it when this process dies (watchdog.ts).
 */
export async function devServerExecutable(
  options: { build?: boolean; progressEveryMs?: number } = {},
): Promise<EphemeralServerExecutable> {
  const onDisk = await findDevServer({ build: false });
  if (onDisk !== undefined) return { type: "existing-path", path: await watchedExecutable(onDisk) };
  if (await sdkDownloadReachable("cli")) return downloading("the Temporal CLI");
  const built = options.build === false ? undefined : await findDevServer(options);
  return built === undefined ? sdkDownload() : { type: "existing-path", path: await watchedExecutable(built) };
}

const told = new Set<string>();

function downloading(what: string): EphemeralServerExecutable {
  if (!told.has(what)) log(`${what}: the SDK's prebuilt download, kept in ${sdkDownloadDir()}`);
  told.add(what);
  return sdkDownload();
}
