// Writes the deno.json of a Deno project that imports joeflow as a JSR user gets it (scripts/consumer-test.sh):
// "joeflow", "joeflow/web", ... to the modules that the repository's deno.json "exports" name, under BASE (the
// repository's folder as a file: URL, or where a local server serves the published files), and every other
// bare import as the repository's deno.json maps it (npm:, downloaded to Deno's cache, not node_modules).
//
//   node scripts/consumer/import-map.mjs REPO OUT [BASE]
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [repo, out, base = `${pathToFileURL(resolve(repo)).href}/`] = process.argv.slice(2);
const config = JSON.parse(readFileSync(resolve(repo, "deno.json"), "utf8"));
const imports = {};
for (const [name, target] of Object.entries(config.imports)) {
  if (!target.startsWith("./")) imports[name] = target;
}
for (const [sub, target] of Object.entries(config.exports)) {
  const name = `joeflow${sub.slice(1)}`;
  // The repository's own import map must agree with its exports, or its tests would run other files.
  if (config.imports[name] !== target) throw new Error(`deno.json: imports["${name}"] is not exports["${sub}"]`);
  imports[name] = new URL(target, base.endsWith("/") ? base : `${base}/`).href;
}
writeFileSync(out, JSON.stringify({ imports, nodeModulesDir: "none", lock: false }, null, 2));
