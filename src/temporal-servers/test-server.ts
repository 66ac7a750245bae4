/**
 * The Java time-skipping test server (Maven artifact
 * io.temporal:temporal-test-server), run from jars in the cache folder through
 * a wrapper script. The script `exec`s java so the SIGKILL that
 * @temporalio/testing sends at teardown reaches the JVM itself.
 *
 * Layout: <cache>/temporal-test-server-<version>/lib/*.jar
 *         <cache>/temporal-test-server-<version>/test-server   (mode 755)
 */
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, realpath, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheDir } from "./cache.ts";
import { canConnect, freePort, isExecutable, log, run, stagingDir, which } from "./util.ts";

export const TEST_SERVER_VERSION = "1.38.0";
const GROUP_ID = "io.temporal";
const ARTIFACT_ID = "temporal-test-server";
const MAIN_CLASS = "io.temporal.testserver.TestServer";
const ARCHIVE = "test-server.jsa";

/** Folder that holds (or would hold) the test server for this version. */
export function testServerDir(): string {
  return join(cacheDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
}

/** Path of the wrapper script (may not exist yet). */
export function testServerScriptPath(): string {
  return join(testServerDir(), "test-server");
}

/**
 * Path of an executable that runs the time-skipping test server
 * (`<path> <port> [--enable-time-skipping]`), or undefined when it is neither
 * cached nor fetchable here (then fall back to the SDK's own download).
 *
 * `JOEFLOW_TEST_SERVER` overrides with a path. Unless `fetch` is false, a
 * missing server is fetched with Maven when `java` and `mvn` are on PATH.
 */
export async function findTestServer(options: { fetch?: boolean } = {}): Promise<string | undefined> {
  const override = process.env.JOEFLOW_TEST_SERVER;
  if (override !== undefined && override !== "") {
    if (!isExecutable(override)) throw new Error(`JOEFLOW_TEST_SERVER=${override} is not an executable file`);
    return override;
  }
  if (which("java") === undefined) return undefined;
  const script = testServerScriptPath();
  if (await isComplete(testServerDir())) return script;
  if (options.fetch === false || which("mvn") === undefined) return undefined;
  await fetchTestServer();
  return script;
}

async function isComplete(dir: string): Promise<boolean> {
  if (!isExecutable(join(dir, "test-server"))) return false;
  try {
    return (await readdir(join(dir, "lib"))).some((name) => name.endsWith(".jar"));
  } catch {
    return false;
  }
}

function pom(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>joeflow.local</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${GROUP_ID}</groupId>
      <artifactId>${ARTIFACT_ID}</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;
}

// Relocatable: finds lib/ beside itself. `exec` replaces the shell with the JVM.
// test-server.jsa, when present, is a class-data archive that cuts JVM start-up
// (about 2.3 s to 0.8 s here; the SDK gives the server 5 s). A stale or foreign
// archive is ignored silently by the JVM.
const WRAPPER = `#!/bin/sh
# Temporal time-skipping test server ${TEST_SERVER_VERSION}, written by joeflow.
# Usage: test-server <port> [--enable-time-skipping]
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
if [ -f "$here/${ARCHIVE}" ]; then
  exec java -XX:SharedArchiveFile="$here/${ARCHIVE}" -Xlog:cds=off -Xlog:cds+dynamic=off \\
    -cp "$here/lib/*" ${MAIN_CLASS} "$@"
fi
exec java -cp "$here/lib/*" ${MAIN_CLASS} "$@"
`;

/**
 * Downloads the jars with Maven into a temporary folder beside the final one,
 * then renames it into place, so an interrupted fetch never leaves a half folder.
 */
async function fetchTestServer(): Promise<void> {
  const finalDir = testServerDir();
  const parent = cacheDir();
  await mkdir(parent, { recursive: true });
  const staging = await stagingDir(parent, `${ARTIFACT_ID}-${TEST_SERVER_VERSION}`);
  const pomDir = await mkdtemp(join(tmpdir(), "joeflow-test-server-pom-"));
  log(
    `fetching ${GROUP_ID}:${ARTIFACT_ID}:${TEST_SERVER_VERSION} with Maven into ${finalDir} ` +
      "(once; later runs reuse it)",
  );
  try {
    await writeFile(join(pomDir, "pom.xml"), pom());
    await mkdir(join(staging, "lib"), { recursive: true });
    await run(
      "mvn",
      [
        "-q",
        "-B",
        "dependency:copy-dependencies",
        `-DoutputDirectory=${join(staging, "lib")}`,
        "-DincludeScope=runtime",
      ],
      { cwd: pomDir },
    );
    const script = join(staging, "test-server");
    await writeFile(script, WRAPPER);
    await chmod(script, 0o755);
    if (!(await isComplete(staging))) throw new Error(`Maven copied no jars into ${join(staging, "lib")}`);
    try {
      await rename(staging, finalDir);
    } catch (error) {
      // Another process finished first: keep its copy.
      if (!(await isComplete(finalDir))) throw error;
    }
    await writeClassArchive(finalDir).catch((error: unknown) => {
      log(`no class-data archive for the test server (it still works, it only starts slower): ${String(error)}`);
    });
    log(`test server ready: ${join(finalDir, "test-server")}`);
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(pomDir, { recursive: true, force: true });
  }
}

/**
 * Runs the server once with -XX:ArchiveClassesAtExit and stops it when it
 * listens, leaving <dir>/test-server.jsa. Uses the same class path string the
 * wrapper builds (`pwd -P` = realpath), which the archive must match.
 */
async function writeClassArchive(dir: string): Promise<void> {
  const real = await realpath(dir);
  const partial = join(real, `${ARCHIVE}.${process.pid}.tmp`);
  const port = await freePort();
  const child = spawn(
    "java",
    [
      `-XX:ArchiveClassesAtExit=${partial}`,
      "-Xlog:cds=off",
      "-Xlog:cds+dynamic=off",
      "-cp",
      `${real}/lib/*`,
      MAIN_CLASS,
      String(port),
    ],
    { stdio: "ignore" },
  );
  let spawnError: Error | undefined;
  child.on("error", (error) => (spawnError = error));
  const exited = new Promise<void>((resolveExit) => child.on("exit", () => resolveExit()));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (spawnError !== undefined) throw spawnError;
      if (child.exitCode !== null) throw new Error(`java exited with code ${String(child.exitCode)} before listening`);
      if (Date.now() > deadline) throw new Error("the server did not listen within 60 s");
      if (await canConnect(port)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGTERM"); // a normal JVM exit, which writes the archive
    await exited;
    await rename(partial, join(real, ARCHIVE));
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await rm(partial, { force: true });
  }
}
