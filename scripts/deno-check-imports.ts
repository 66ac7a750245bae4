/**
 * Every bare specifier that the published library imports must be in deno.json's "imports":
 * with "nodeModulesDir": "manual", `deno check` would also resolve an unmapped one from node_modules,
 * so it would not notice, but a JSR user has no node_modules. Run: `deno task check` (or
 * `npx deno run -A scripts/deno-check-imports.ts`). Exit code 1 lists the missing ones.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import process from "node:process";

const root = new URL("../", import.meta.url);
const config = JSON.parse(readFileSync(new URL("deno.json", root), "utf8")) as {
  exports: Record<string, string>;
  imports: Record<string, string>;
};
const mapped = (specifier: string) =>
  specifier in config.imports ||
  Object.keys(config.imports).some((key) => key.endsWith("/") && specifier.startsWith(key));

interface Info {
  modules: { specifier: string; dependencies?: { specifier: string }[] }[];
}

const missing = new Map<string, string>();
for (const entry of Object.values(config.exports)) {
  const run = spawnSync(process.execPath, ["info", "--json", entry], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(`deno info ${entry} failed:\n${run.stderr}`);
  const info = JSON.parse(run.stdout) as Info;
  for (const module of info.modules) {
    if (!module.specifier.startsWith(root.href) || module.specifier.includes("/node_modules/")) continue;
    for (const { specifier } of module.dependencies ?? []) {
      if (/^(\.{0,2}\/|node:|npm:|jsr:|https?:|file:|data:)/.test(specifier) || mapped(specifier)) continue;
      missing.set(specifier, module.specifier.slice(root.href.length));
    }
  }
}
if (missing.size > 0) {
  console.error("deno.json's imports lack these bare specifiers (imported by):");
  for (const [specifier, file] of missing) console.error(`  ${specifier}  (${file})`);
  process.exit(1);
}
console.log(`deno.json maps every bare import of ${Object.keys(config.exports).length} entry points`);
