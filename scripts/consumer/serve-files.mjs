// A static file server standing in for JSR in scripts/consumer-test.sh: serves one folder over HTTP on a
// free port of 127.0.0.1 and prints its URL, so that Deno loads joeflow's modules from http: URLs, where
// import.meta.url is not a file: URL, as it is not from JSR. Runs until it is killed.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join, normalize } from "node:path";

const root = process.argv[2];
const TYPES = { ".ts": "application/typescript", ".js": "text/javascript", ".json": "application/json" };
const server = createServer(async (request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
  try {
    const body = await readFile(join(root, path));
    const type = TYPES[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream";
    response.writeHead(200, { "content-type": type }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
