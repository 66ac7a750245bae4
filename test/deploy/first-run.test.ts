/**
 * The first run on a new machine: the SDK's prebuilt Temporal CLI where temporal.download is
 * reachable; where it is not, that is known within a few seconds and the CLI is built with Go,
 * saying every so often that it still is, with Go's caches inside the joeflow cache folder.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

type Servers = typeof import("../../src/temporal-servers/mod.ts");

describe.skipIf(process.platform === "win32")("the first run's Temporal CLI", () => {
  let cache: string;
  let fakeBin: string;
  const saved = { ...process.env };
  let logged: string[];

  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), "joeflow-first-run-"));
    fakeBin = join(cache, "bin");
    mkdirSync(fakeBin);
    // A `go` that records its environment and "builds" the CLI in about a second.
    writeFileSync(
      join(fakeBin, "go"),
      `#!/bin/sh\nenv > "${join(cache, "go-env")}"\nsleep 1.2\nprintf '#!/bin/sh\\n' > "$GOBIN/temporal"\n` +
        `chmod 755 "$GOBIN/temporal"\n`,
    );
    chmodSync(join(fakeBin, "go"), 0o755);
    process.env.JOEFLOW_CACHE_DIR = cache;
    process.env.PATH = `${fakeBin}:${process.env.PATH}`;
    delete process.env.JOEFLOW_TEMPORAL_CLI;
    delete process.env.JOEFLOW_TEMPORAL_DOWNLOAD;
    logged = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      logged.push(String(chunk));
      return true;
    });
    vi.resetModules(); // the reachability answer is kept per process (per module instance)
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    process.env = { ...saved };
    rmSync(cache, { recursive: true, force: true });
  });

  const servers = (): Promise<Servers> => import("../../src/temporal-servers/mod.ts");

  it("uses the SDK's download where temporal.download answers, and builds nothing", async () => {
    vi.stubGlobal("fetch", async (url: string) =>
      String(url).startsWith("https://temporal.download/cli/default?")
        ? Response.json({ archiveUrl: "https://example.invalid/temporal.tar.gz" })
        : new Response(null, { status: 200 }),
    );
    const { devServerExecutable, sdkDownloadDir } = await servers();
    expect(await devServerExecutable()).toEqual({ type: "cached-download", downloadDir: sdkDownloadDir(), ttl: "30d" });
    expect(sdkDownloadDir().startsWith(cache)).toBe(true);
    expect(logged.join("")).toContain("the SDK's prebuilt download");
    expect(() => readFileSync(join(cache, "go-env"))).toThrow(); // go never ran
  });

  it("knows within the probe's timeout when no download site is reachable", async () => {
    const { sdkDownloadReachable, DOWNLOAD_PROBE_TIMEOUT_MS } = await servers();
    const started = Date.now();
    await sdkDownloadReachable("cli"); // true or false, whatever this machine reaches
    expect(Date.now() - started).toBeLessThan(DOWNLOAD_PROBE_TIMEOUT_MS + 1500);
  });

  it("builds with Go where the download is out of reach: progress, and Go's caches in the cache folder", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("fetch failed");
    });
    const { devServerExecutable, devServerBinaryPath, goCacheDir } = await servers();
    const executable = await devServerExecutable({ progressEveryMs: 300 });
    expect(executable.type).toBe("existing-path");
    expect(readFileSync(devServerBinaryPath(), "utf8")).toBe("#!/bin/sh\n");
    const env = readFileSync(join(cache, "go-env"), "utf8");
    expect(env).toContain(`GOMODCACHE=${join(goCacheDir(), "mod")}\n`);
    expect(env).toContain(`GOCACHE=${join(goCacheDir(), "build")}\n`);
    expect(env).toMatch(/^GOFLAGS=.*-modcacherw/m);
    const log = logged.join("");
    expect(log).toContain(`remove them with \`rm -rf ${goCacheDir()}\``);
    expect(log).toMatch(/still building the Temporal CLI: \d+ s so far/);
    expect(log).toMatch(/Temporal CLI ready after \d+ s/);
  });

  it("builds with Go when told not to download (JOEFLOW_TEMPORAL_DOWNLOAD=0), without asking", async () => {
    process.env.JOEFLOW_TEMPORAL_DOWNLOAD = "0";
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    const { devServerExecutable } = await servers();
    expect((await devServerExecutable()).type).toBe("existing-path");
    expect(fetch).not.toHaveBeenCalled();
  });
});
