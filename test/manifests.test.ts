import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), "utf8"));

describe("the two manifests", () => {
  it("export the same entry points from package.json and deno.json", () => {
    expect(read("deno.json").exports).toEqual(read("package.json").exports);
  });

  it("map every export to itself in deno.json's imports, as the tests import it by name", () => {
    const deno = read("deno.json");
    for (const [entry, file] of Object.entries(read("package.json").exports as Record<string, string>)) {
      expect(deno.imports[entry.replace(/^\./, "joeflow")]).toBe(file);
    }
  });

  it("pin the same versions of the runtime dependencies", () => {
    const pkg = read("package.json");
    const deno = read("deno.json");
    const versions = { ...pkg.dependencies, zod: pkg.devDependencies.zod } as Record<string, string>;
    for (const [_name, spec] of Object.entries(deno.imports as Record<string, string>)) {
      const npm = /^npm:(@?[^@]+)@([^/]+)/.exec(spec);
      if (npm) expect(`${npm[1]}@${versions[npm[1]!]}`).toBe(`${npm[1]}@${npm[2]}`);
    }
  });
});
