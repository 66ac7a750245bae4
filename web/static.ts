/**
 * The app's own static files: the stylesheet, the script that shows times in the reader's time zone,
 * and the favicon. Read once at start; served with an hour's cache, as files that change only with a release.
 */
import { readFileSync } from "node:fs";
import type { Hono } from "hono";

const FILES: Readonly<Record<string, string>> = {
  "joeflow.css": "text/css; charset=utf-8",
  "joeflow.js": "text/javascript; charset=utf-8",
  "favicon.svg": "image/svg+xml",
};

export function staticRoutes(app: Hono): void {
  for (const [file, type] of Object.entries(FILES)) {
    const text = readFileSync(new URL(`./static/${file}`, import.meta.url), "utf8");
    app.get(`/static/${file}`, (c) =>
      c.body(text, 200, { "content-type": type, "cache-control": "public, max-age=3600" }),
    );
  }
}
