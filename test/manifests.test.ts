import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), "utf8"));

/** deno.json's exports name the sources; package.json's name what `npm run build` makes of them in dist/. */
const sources = () => Object.entries(read("deno.json").exports as Record<string, string>);

describe("the manifests", () => {
  it("export the same entry points from package.json (built, in dist/) and deno.json (sources)", () => {
    const built = Object.fromEntries(
      sources().map(([entry, file]) => {
        const base = `./dist/${file.slice(2, -3)}`;
        return [entry, { types: `${base}.d.ts`, default: `${base}.js` }];
      }),
    );
    expect(read("package.json").exports).toEqual(built);
  });

  it("map every export to itself in deno.json's imports and tsconfig.json's paths: the repo imports it by name", () => {
    const deno = read("deno.json");
    const paths = read("tsconfig.json").compilerOptions.paths;
    for (const [entry, file] of sources()) {
      const name = entry.replace(/^\./, "joeflow");
      expect(deno.imports[name]).toBe(file);
      expect(paths[name]).toEqual([file]);
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
