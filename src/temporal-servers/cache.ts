/**
 * The folder where joeflow keeps the Temporal servers it fetches or builds.
 *
 * `JOEFLOW_CACHE_DIR` if set, else `<project root>/.cache/joeflow`, where the
 * project root is the nearest folder at or above `process.cwd()` that holds a
 * package.json (falling back to the cwd itself). `.cache/` is git-ignored.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Nearest folder at or above `start` that holds a package.json, else undefined. */
export function findProjectRoot(start: string = process.cwd()): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Absolute path of the cache folder (not created). */
export function cacheDir(): string {
  const fromEnv = process.env.JOEFLOW_CACHE_DIR;
  if (fromEnv !== undefined && fromEnv !== "") return resolve(fromEnv);
  const root = findProjectRoot() ?? process.cwd();
  return join(root, ".cache", "joeflow");
}
