/**
 * The demo (examples/serve.ts) when it cannot start: a busy port is one line on stderr and exit
 * code 1 before anything starts; a failure after the Temporal dev server started stops it again,
 * so no server is left behind. The ports are free ports this test takes itself, never fixed ones.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, onDeno, type Service, startService } from "../fixtures/services.ts";

/** Processes (other than ours) whose command line mentions `text`: Linux only, else none. */
function processesMentioning(text: string): string[] {
  if (process.platform !== "linux") return [];
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe("the demo when it cannot start", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "joeflow-demo-ports-"));
  const services: Service[] = [];
  let busy: Server;
  let busyPort: number;

  afterAll(async () => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill("SIGKILL");
    await new Promise((resolve) => busy?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function occupy(): Promise<number> {
    if (busy === undefined) {
      busy = createServer();
      busyPort = await new Promise<number>((resolve) =>
        busy.listen(0, "127.0.0.1", () => resolve((busy.address() as { port: number }).port)),
      );
    }
    return busyPort;
  }

  async function demo(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const service = startService("demo", "examples/serve.ts", { JOEFLOW_DATA_DIR: dataDir, ...env });
    services.push(service);
    const code = await service.exited;
    return { code, output: service.output };
  }

  it("says so in one line when the web app's port is in use, and starts nothing", async () => {
    const port = await occupy();
    const { code, output } = await demo({ PORT: String(port), TEMPORAL_UI_PORT: String(await freePort()) });
    expect(output).toBe(`joeflow demo: port ${port} (the web app) is in use; set PORT=<another port>\n`);
    if (!onDeno) expect(code).toBe(1);
    expect(readdirSync(dataDir)).toEqual([]); // no dev server, no PGlite
  });

  it("says so in one line when the Temporal UI's port is in use, and starts nothing", async () => {
    const port = await occupy();
    const { code, output } = await demo({ PORT: String(await freePort()), TEMPORAL_UI_PORT: String(port) });
    expect(output).toBe(
      `joeflow demo: port ${port} (the Temporal UI) is in use; set TEMPORAL_UI_PORT=<another port>\n`,
    );
    if (!onDeno) expect(code).toBe(1);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it("stops the dev server it started when a later step fails", { timeout: 120_000 }, async () => {
    writeFileSync(join(dataDir, "pglite"), "not a folder"); // PGlite cannot open it: fails after Temporal started
    const { code, output } = await demo({ PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()) });
    expect(readdirSync(dataDir)).toContain("temporal.sqlite"); // the dev server had started
    const errors = output.split("\n").filter((line) => line.startsWith("joeflow demo:"));
    expect(errors, output).toEqual([expect.stringMatching(/^joeflow demo: could not start: /)]);
    if (!onDeno) expect(code).toBe(1);
    expect(processesMentioning(dataDir)).toEqual([]); // the dev server was given its SQLite file there
  });

  it("is started, as the cluster's processes are, by commands that get SIGTERM themselves", () => {
    // `npx tsx` and npm run leave a SIGTERM undelivered: the tests spawn `node --import tsx`, as these do.
    const scripts = JSON.parse(readFileSync("package.json", "utf8")).scripts as Record<string, string>;
    expect(scripts.start).toBe("node --import tsx examples/serve.ts");
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain("node --import tsx examples/cluster/worker.ts");
    expect(readme).toContain("node --import tsx examples/cluster/web.ts");
    expect(readme).not.toMatch(/npx tsx examples\//);
  });
});
