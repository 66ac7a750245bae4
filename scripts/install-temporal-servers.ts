/**
 * Fetches the Java time-skipping test server (Maven) and builds the Temporal CLI
 * dev server (Go) into the cache folder, then prints their paths.
 * Exits non-zero, saying why, when either cannot be had.
 * Run: npx tsx scripts/install-temporal-servers.ts
 */
import { findDevServer, findTestServer } from "../src/temporal-servers/mod.ts";

async function install(name: string, find: () => Promise<string | undefined>, needs: string): Promise<boolean> {
  try {
    const path = await find();
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

const testServerOk = await install("test server", () => findTestServer(), "fetching it needs `java` and `mvn` on PATH");
const devServerOk = await install("temporal cli", () => findDevServer(), "building it needs `go` (1.25+) on PATH");
process.exitCode = testServerOk && devServerOk ? 0 : 1;
