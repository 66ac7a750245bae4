/**
 * `npm run build` (also run by `npm pack` and `npm publish`, as "prepack"): the package as npm users get it,
 * in dist/: ESM JavaScript, declarations and source maps (tsconfig.build.json), with the templates and the CSS
 * in web/embedded-assets.ts (made anew first), the interpreter's Temporal workflow bundled once
 * (dist/worker/interpreter-bundle.js, which createWorker loads instead of bundling at start), and the `joeflow`
 * command run by node.
 * The repository itself never uses dist/: its tests, tsx and Deno run the sources.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleInterpreter } from "./bundle-interpreter.ts";
import { EMBEDDED_ASSETS_FILE, embeddedAssetsSource } from "./embed-assets.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const at = (path: string) => `${root}${path}`;
const started = performance.now();
const step = async (what: string, run: () => unknown) => {
  const t = performance.now();
  await run();
  console.log(`build: ${what} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
};

await step("removed dist/", () => rmSync(at("dist"), { recursive: true, force: true }));

await step("embedded web/templates/ and web/static/ in web/embedded-assets.ts", () =>
  writeFileSync(EMBEDDED_ASSETS_FILE, embeddedAssetsSource()),
);

await step("compiled src/, worker/, web/, bin/ with tsconfig.build.json", () => {
  const tsc = spawnSync(process.execPath, [at("node_modules/typescript/bin/tsc"), "-p", at("tsconfig.build.json")], {
    stdio: "inherit",
  });
  if (tsc.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${tsc.status})`);
});

await step("bundled the interpreter into dist/worker/interpreter-bundle.js", () =>
  bundleInterpreter(at("dist/worker/interpreter-bundle.js")),
);

await step("made dist/bin/joeflow.js run with node", () => {
  const bin = at("dist/bin/joeflow.js");
  writeFileSync(bin, readFileSync(bin, "utf8").replace(/^#!.*\n/, "#!/usr/bin/env node\n"));
  chmodSync(bin, 0o755);
});

console.log(`build: dist/ done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
