/**
 * The app's own static files under /static/: the stylesheet, the scripts (times in the reader's time zone,
 * live pages) and the favicon, embedded in web/embedded-assets.ts so that they travel with the modules.
 * Served with an hour's cache, as files that change only with a release.
 */
import type { Hono } from "hono";
import { STATIC_FILES } from "./embedded-assets.ts";
import { notFound } from "./errors.ts";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
};

export function staticRoutes(app: Hono): void {
  app.get("/static/:file", (c) => {
    const file = c.req.param("file");
    const type = CONTENT_TYPES[file.split(".").pop() ?? ""];
    if (!Object.hasOwn(STATIC_FILES, file) || !type) throw notFound("There is no such file.");
    return c.body(STATIC_FILES[file]!, 200, { "content-type": type, "cache-control": "public, max-age=3600" });
  });
}
