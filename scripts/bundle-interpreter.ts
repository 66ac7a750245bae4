/**
 * Bundles the interpreter, joeflow's one Temporal workflow, into one file: the same for every user (the graph
 * is its input), so workers start without Temporal's bundler. `npm run build` writes dist/worker/
 * interpreter-bundle.js for the npm package; scripts/jsr-publish.sh writes worker/interpreter-bundle.js for
 * the JSR package, which is served from https: where the bundler could not read the sources.
 *
 *   node --import tsx scripts/bundle-interpreter.ts OUT.js
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleWorkflowCode } from "@temporalio/worker";

export async function bundleInterpreter(out: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL("../src/interpreter/workflow.ts", import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  writeFileSync(out, code);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) throw new Error("usage: scripts/bundle-interpreter.ts OUT.js");
  await bundleInterpreter(out);
  console.log(`bundled the interpreter into ${out}`);
}
