/**
 * Finding or fetching the Temporal servers that tests and the demo run:
 * the Java time-skipping test server and the Temporal CLI dev server.
 * Node only (file paths, child processes).
 */
import type { EphemeralServerExecutable } from "@temporalio/testing";
import { findDevServer } from "./dev-server.ts";
import { findTestServer } from "./test-server.ts";
import { watchedExecutable } from "./watchdog.ts";

export { cacheDir, findProjectRoot } from "./cache.ts";
export { TEMPORAL_CLI_VERSION, devServerBinaryPath, devServerDir, findDevServer } from "./dev-server.ts";
export { TEST_SERVER_VERSION, findTestServer, testServerDir, testServerScriptPath } from "./test-server.ts";
export { watchedExecutable, watchedPath } from "./watchdog.ts";
export type { EphemeralServerExecutable };

/**
 * For `TestWorkflowEnvironment.createTimeSkipping({ server: { executable } })`:
 * the test server on disk (fetched with Maven if needed), else the SDK's own download.
 * The server on disk runs under a watchdog that stops it when this process dies (watchdog.ts).
 */
export async function testServerExecutable(options: { fetch?: boolean } = {}): Promise<EphemeralServerExecutable> {
  const path = await findTestServer(options);
  return path === undefined
    ? { type: "cached-download" }
    : { type: "existing-path", path: await watchedExecutable(path) };
}

/**
 * For `TestWorkflowEnvironment.createLocal({ server: { executable } })`:
 * the Temporal CLI on disk (built with Go if needed), else the SDK's own download.
 * The server on disk runs under a watchdog that stops it when this process dies (watchdog.ts).
 */
export async function devServerExecutable(options: { build?: boolean } = {}): Promise<EphemeralServerExecutable> {
  const path = await findDevServer(options);
  return path === undefined
    ? { type: "cached-download" }
    : { type: "existing-path", path: await watchedExecutable(path) };
}
