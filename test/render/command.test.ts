/** `joeflow render`, run as users run it: child processes through tsx. */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { workflowGraph, workflowMermaid } from "joeflow/render";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipping } from "../../examples/shipping.ts";
import { isWellFormed } from "./xml.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const MODULE = "test/render/fixtures/workflows.ts";
const scratch = mkdtempSync(join(tmpdir(), "joeflow-render-"));
const dir = (name: string) => join(scratch, name);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function joeflow(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      "npx",
      ["tsx", "bin/joeflow.ts", ...args],
      { cwd: root, encoding: "utf8", timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

// Each run loads tsx and the library (a few seconds), so all of them start at once and the tests read the results.
const USAGE_ERRORS = [["render", MODULE, "--bogus"], ["render", MODULE, "-f", "gif"], ["render"], ["frobnicate"]];
let runs: Record<"all" | "dot" | "mermaid" | "png" | "unknown" | "missing", Run>;
let usageErrors: Run[];

beforeAll(async () => {
  const named = {
    all: joeflow("render", MODULE, "-d", dir("all")),
    dot: joeflow("render", MODULE, "shipping", "-f", "dot", "-d", dir("named")),
    mermaid: joeflow("render", MODULE, "shipping", "--format", "mermaid", "--dir", dir("mermaid")),
    png: joeflow("render", MODULE, "welcome", "-f", "png", "-d", dir("png")),
    unknown: joeflow("render", MODULE, "shipping", "nope", "-d", dir("unknown")),
    missing: joeflow("render", "test/render/fixtures/missing.ts", "-d", dir("missing")),
  };
  const [results, usage] = await Promise.all([
    Promise.all(Object.entries(named).map(async ([key, run]) => [key, await run] as const)),
    Promise.all(USAGE_ERRORS.map((args) => joeflow(...args))),
  ]);
  runs = Object.fromEntries(results) as typeof runs;
  usageErrors = usage;
}, 300_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("joeflow render", () => {
  it("renders every workflow of the module as SVG by default, printing each file", () => {
    expect(runs.all.stderr).toBe("");
    expect(runs.all.code).toBe(0);
    expect(readdirSync(dir("all")).sort()).toEqual(["shipping.svg", "welcome.svg"]);
    expect(runs.all.stdout.trim().split("\n")).toEqual([
      join(dir("all"), "shipping.svg"),
      join(dir("all"), "welcome.svg"),
    ]);
    const svg = readFileSync(join(dir("all"), "shipping.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(isWellFormed(svg)).toBe(true);
  });

  it("renders only the workflows named, as DOT and as Mermaid", () => {
    expect([runs.dot.code, runs.mermaid.code]).toEqual([0, 0]);
    expect(readdirSync(dir("named"))).toEqual(["shipping.dot"]);
    expect(readFileSync(join(dir("named"), "shipping.dot"), "utf8")).toBe(`${workflowGraph(shipping)}\n`);
    expect(readdirSync(dir("mermaid"))).toEqual(["shipping.mmd"]);
    expect(readFileSync(join(dir("mermaid"), "shipping.mmd"), "utf8")).toBe(workflowMermaid(shipping));
  });

  it("renders PNG without a system binary", () => {
    expect(runs.png.code).toBe(0);
    const png = readFileSync(join(dir("png"), "welcome.png"));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBeGreaterThan(100); // the width, from the IHDR chunk
  });

  it("names an unknown workflow, exits 1 and writes nothing", () => {
    expect(runs.unknown.code).toBe(1);
    expect(runs.unknown.stderr).toContain('unknown workflow "nope"');
    expect(runs.unknown.stderr).toContain("exports shipping, welcome");
    expect(() => readdirSync(dir("unknown"))).toThrow(); // not even the directory
  });

  it("exits 1 when the module cannot be loaded", () => {
    expect(runs.missing.code).toBe(1);
    expect(runs.missing.stderr).toContain("cannot load test/render/fixtures/missing.ts");
  });

  it("prints the usage and exits 2 on wrong usage", () => {
    USAGE_ERRORS.forEach((args, i) => {
      expect(usageErrors[i]!.code, args.join(" ")).toBe(2);
      expect(usageErrors[i]!.stderr, args.join(" ")).toContain("usage: joeflow");
    });
  });
});
