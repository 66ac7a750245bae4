/**
 * Fetches the Java time-skipping test server (Maven) and builds the Temporal CLI
 * dev server (Go) into the cache folder, then prints their paths. Where one is not
 * on disk yet and the SDK's prebuilt download is reachable, it says so instead: the
 * SDK downloads it at first use, in seconds. Exits non-zero, saying why, when
 * either cannot be had.
 * Run: node --import tsx scripts/install-temporal-servers.ts
 */
import {
  type Artifact,
  findDevServer,
  findTestServer,
  sdkDownloadDir,
  sdkDownloadReachable,
} from "../src/temporal-servers/mod.ts";

async function install(
  name: string,
  artifact: Artifact,
  find: (options: { fetch?: boolean; build?: boolean }) => Promise<string | undefined>,
  needs: string,
): Promise<boolean> {
  try {
    let path = await find({ fetch: false, build: false });
    if (path === undefined && (await sdkDownloadReachable(artifact))) {
      console.log(`${name}: the SDK's prebuilt download, at first use, into ${sdkDownloadDir()}`);
      return true;
    }
    path ??= await find({});
    if (path !== undefined) {
      console.log(`${name}: ${path}`);
      return true;
    }
    console.error(`install-temporal-servers: cannot get the ${name}: it is not in the cache and ${needs}`);
  } catch (error) {
    console.error(
      `install-temporal-servers: cannot get the ${name}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return false;
}

const testServerOk = await install(
  "test server",
  "temporal-test-server",
  findTestServer,
  "fetching it needs `java` and `mvn` on PATH (or temporal.download within reach)",
);
const devServerOk = await install(
  "temporal cli",
  "cli",
  findDevServer,
  "building it needs `go` (1.25+) on PATH (or temporal.download within reach)",
);
process.exitCode = testServerOk && devServerOk ? 0 : 1;
