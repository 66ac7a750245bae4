/**
 * The Temporal CLI (`temporal server start-dev`: the dev server with SQLite
 * persistence and the web UI), built from source with `go install` into the
 * cache folder: <cache>/temporal-cli-<version>/temporal. Only where the SDK's
 * prebuilt download is out of reach (download.ts): the first build takes
 * minutes. Go's module and build caches go to <cache>/go (about 3 GB), so they
 * are removed with the cache folder; once the CLI is built they can go.
 */
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { cacheDir } from "./cache.ts";
import { isExecutable, log, run, stagingDir, which } from "./util.ts";

/** Newest tag that `go install` accepts (later tags carry a replace directive). Needs Go 1.25+. */
export const TEMPORAL_CLI_VERSION = "1.5.1";
const GO_PACKAGE = "github.com/temporalio/cli/cmd/temporal";

/**
 * The dev server's settings for joeflow's load, as `--dynamic-config-value` pairs (devServerArgs):
 * - eager activities: a workflow task that schedules a machine task gets it back in its reply, instead
 *   of the worker polling for it;
 * - the history service hands new tasks on as they come, not at most 20 times a second (a machine
 *   step took 100 ms instead of 15);
 * - one partition per task queue: partitions spread a queue over matching hosts, and the dev server has
 *   one. With four (the default), a task could wait in a partition no poller was on: under 200 starts
 *   at once, the last first workflow tasks waited 1.1-1.4 s with the machine idle (bench/engine.ts).
 * All of them are worth setting on a cluster too, but the last one only for queues one host serves.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: readonly string[] = [
  "system.enableActivityEagerExecution=true",
  "history.transferProcessorMaxPollRPS=1000",
  "matching.numTaskqueueReadPartitions=1",
  "matching.numTaskqueueWritePartitions=1",
];

/** The dev server's arguments: SQLite's pragmas, then DEV_SERVER_DYNAMIC_CONFIG. */
export function devServerArgs(sqlitePragmas: readonly string[]): string[] {
  return [
    ...sqlitePragmas.flatMap((pragma) => ["--sqlite-pragma", pragma]),
    ...DEV_SERVER_DYNAMIC_CONFIG.flatMap((value) => ["--dynamic-config-value", value]),
  ];
}

/** Folder that holds (or would hold) the CLI binary for this version. */
export function devServerDir(): string {
  return join(cacheDir(), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

/** Path of the CLI binary (may not exist yet). */
export function devServerBinaryPath(): string {
  return join(devServerDir(), "temporal");
}

/**
 * Path of the Temporal CLI binary, or undefined when it is neither built nor
 * buildable here (then fall back to the SDK's own download).
 *
 * `JOEFLOW_TEMPORAL_CLI` overrides with a path. Unless `build` is false, a
 * missing binary is built with `go install` when `go` is on PATH.
 */
export async function findDevServer(
  options: { build?: boolean; progressEveryMs?: number } = {},
): Promise<string | undefined> {
  const override = process.env.JOEFLOW_TEMPORAL_CLI;
  if (override !== undefined && override !== "") {
    if (!isExecutable(override)) throw new Error(`JOEFLOW_TEMPORAL_CLI=${override} is not an executable file`);
    return override;
  }
  const binary = devServerBinaryPath();
  if (isExecutable(binary)) return binary;
  if (options.build === false || which("go") === undefined) return undefined;
  await buildDevServer(options.progressEveryMs ?? PROGRESS_EVERY_MS);
  return binary;
}

/** Go's module cache (GOMODCACHE) and build cache (GOCACHE) for the build: <cache>/go. */
export function goCacheDir(): string {
  return join(cacheDir(), "go");
}

/** How often a build says it is still going. */
const PROGRESS_EVERY_MS = 15_000;

/**
 * Builds into a staging GOBIN beside the final folder, then renames the binary
 * into place, so an interrupted build never leaves a half-written binary.
 */
async function buildDevServer(progressEveryMs: number): Promise<void> {
  const parent = cacheDir();
  const finalDir = devServerDir();
  await mkdir(parent, { recursive: true });
  const staging = await stagingDir(parent, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const go = goCacheDir();
  log(
    `building the Temporal CLI ${TEMPORAL_CLI_VERSION} with \`go install ${GO_PACKAGE}@v${TEMPORAL_CLI_VERSION}\` ` +
      `into ${finalDir} (the SDK's download is out of reach): the first build fetches ~240 Go modules and ` +
      `takes about 10 minutes; later runs reuse it. Go's caches (~3 GB) go to ${go}; remove them with ` +
      `\`rm -rf ${go}\` once it is built`,
  );
  const started = Date.now();
  const progress = setInterval(() => {
    log(`still building the Temporal CLI: ${Math.round((Date.now() - started) / 1000)} s so far`);
  }, progressEveryMs);
  try {
    await mkdir(staging, { recursive: true });
    await run("go", ["install", `${GO_PACKAGE}@v${TEMPORAL_CLI_VERSION}`], {
      env: {
        ...process.env,
        GOBIN: staging,
        GOMODCACHE: join(go, "mod"),
        GOCACHE: join(go, "build"),
        // Module files are read-only by default, which `rm -rf` as a user cannot remove.
        GOFLAGS: `${process.env.GOFLAGS ?? ""} -modcacherw`.trim(),
      },
      echo: true,
    });
    await mkdir(finalDir, { recursive: true });
    await rename(join(staging, "temporal"), devServerBinaryPath());
    log(
      `Temporal CLI ready after ${Math.round((Date.now() - started) / 1000)} s: ${devServerBinaryPath()}. ` +
        `Go's caches are no longer needed: \`rm -rf ${go}\``,
    );
  } finally {
    clearInterval(progress);
    await rm(staging, { recursive: true, force: true });
  }
}
