import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import pkg from "./package.json" with { type: "json" };

// The tests import the library by its name, as users do; the names resolve to the sources.
const alias = Object.entries(pkg.exports).map(([entry, file]) => ({
  find: new RegExp(`^${entry.replace(/^\./, "joeflow")}$`),
  replacement: fileURLToPath(new URL(file, import.meta.url)),
}));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks", // Temporal's native addon has trouble in worker threads
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
