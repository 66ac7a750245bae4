/**
 * Finding or fetching the Temporal servers that tests and the demo run:
 * the Java time-skipping test server and the Temporal CLI dev server.
 * Node only (file paths, child processes).
 */
import type { EphemeralServerExecutable } from "@temporalio/testing";
import { findDevServer } from "./dev-server.ts";
import { findTestServer } from "./test-server.ts";

export { cacheDir, findProjectRoot } from "./cache.ts";
export { TEMPORAL_CLI_VERSION, devServerBinaryPath, devServerDir, findDevServer } from "./dev-server.ts";
export { TEST_SERVER_VERSION, findTestServer, testServerDir, testServerScriptPath } from "./test-server.ts";
export type { EphemeralServerExecutable };

/**
 * For `TestWorkflowEnvironment.createTimeSkipping({ server: { executable } })`:
 * the test server on disk (fetched with Maven if needed), else the SDK's own download.
 */
export async function testServerExecutable(options: { fetch?: boolean } = {}): Promise<EphemeralServerExecutable> {
  const path = await findTestServer(options);
  return path === undefined ? { type: "cached-download" } : { type: "existing-path", path };
}

/**
 * For `TestWorkflowEnvironment.createLocal({ server: { executable } })`:
 * the Temporal CLI on disk (built with Go if needed), else the SDK's own download.
 */
export async function devServerExecutable(options: { build?: boolean } = {}): Promise<EphemeralServerExecutable> {
  const path = await findDevServer(options);
  return path === undefined ? { type: "cached-download" } : { type: "existing-path", path };
}
