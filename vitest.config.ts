import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import deno from "./deno.json" with { type: "json" };

// The tests import the library by its name, as users do; the names resolve to the sources (deno.json's
// exports name them; package.json's name the built files in dist/).
const alias = Object.entries(deno.exports).map(([entry, file]) => ({
  find: new RegExp(`^${entry.replace(/^\./, "joeflow")}$`),
  replacement: fileURLToPath(new URL(file, import.meta.url)),
}));

export default defineConfig({
  resolve: { alias },
  test: {
    pool: "forks", // Temporal's native addon has trouble in worker threads
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "library", include: ["test/**/*.test.ts"], exclude: ["test/web/**"] } },
      // The web tests share their worker processes: most files need only the in-memory Joeflow, so
      // importing the app and compiling PGlite once per worker instead of once per file is most of their time.
      { extends: true, test: { name: "web", include: ["test/web/**/*.test.ts"], isolate: false } },
    ],
  },
});
