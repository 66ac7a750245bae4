/**
 * The house's rules, checked on every run: where code may import from, and how long a line may be.
 * Layers, bottom up: src/ (the library), worker/ (runs it: createWorker, createTestEnv), web/ (the app,
 * which uses only the public API). Each package entry is a mod.ts named in package.json's exports.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SKIP = new Set(["node_modules", ".git", ".cache", ".data", "artifacts"]);

function files(folder: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  for (const name of readdirSync(join(ROOT, folder))) {
    if (SKIP.has(name)) continue;
    const path = join(folder, name);
    if (statSync(join(ROOT, path)).isDirectory()) found.push(...files(path, extensions));
    else if (extensions.some((extension) => name.endsWith(extension))) found.push(path);
  }
  return found;
}

/** The relative imports of a TypeScript file, resolved to paths from the root. */
function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((match) => match[1]!);
  return specifiers.filter((s) => s.startsWith(".")).map((s) => relative(ROOT, join(ROOT, file, "..", s)));
}

describe("the house", () => {
  it("keeps src/ below worker/ and web/: the library imports nothing of what is built on it", () => {
    const upward = files("src", [".ts"]).flatMap((file) =>
      imports(file)
        .filter((target) => !target.startsWith("src/"))
        .map((target) => `${file} -> ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it("lets web/ use the library only through its public entries", () => {
    const internal = files("web", [".ts"]).flatMap((file) =>
      imports(file)
        .filter((target) => !target.startsWith("web/"))
        .map((target) => `${file} -> ${target}`),
    );
    expect(internal).toEqual([]);
  });

  it("has no line over 120 characters", () => {
    const long = ["src", "web", "worker", "test", "bench", "examples", "scripts", "bin"]
      .flatMap((folder) => files(folder, [".ts", ".eta", ".css", ".sh"]))
      // Generated from the templates and static files, whose own lines are checked here.
      .filter((file) => file !== "web/embedded-assets.ts")
      .flatMap((file) =>
        readFileSync(join(ROOT, file), "utf8")
          .split("\n")
          .flatMap((line, i) => (line.length > 120 ? [`${file}:${i + 1} (${line.length})`] : [])),
      );
    expect(long).toEqual([]);
  });
});
