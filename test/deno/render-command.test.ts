/**
 * `joeflow render` run by the runtime running the tests: `deno run -A bin/joeflow.ts` on Deno,
 * `node --import tsx bin/joeflow.ts` on Node. (test/render/command.test.ts always runs it through
 * `npx tsx`, i.e. on Node, even in the Deno suite.)
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "joeflow-render-"));
const onDeno = "Deno" in globalThis;

function joeflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const runtime = onDeno ? ["run", "-A", "bin/joeflow.ts"] : ["--import", "tsx", "bin/joeflow.ts"];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...runtime, ...args],
      { cwd: root, encoding: "utf8", timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe(`joeflow render on ${onDeno ? "Deno" : "Node"}`, () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes SVG (Graphviz in WASM) and PNG (resvg, a native addon)", async () => {
    const [svg, png] = await Promise.all([
      joeflow("render", "test/render/fixtures/workflows.ts", "shipping", "-d", join(dir, "svg")),
      joeflow("render", "test/render/fixtures/workflows.ts", "welcome", "-f", "png", "-d", join(dir, "png")),
    ]);
    expect(svg, svg.stderr).toMatchObject({ code: 0 });
    expect(readFileSync(join(dir, "svg", "shipping.svg"), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(png, png.stderr).toMatchObject({ code: 0 });
    expect([...readFileSync(join(dir, "png", "welcome.png")).subarray(0, 8)]).toEqual([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ]);
  });
});
