/** Serves the web app on Node with @hono/node-server. */
import { serve } from "@hono/node-server";
import type { Hono } from "hono";

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

export function serveNode(app: Hono, options: { port?: number; hostname?: string } = {}): Promise<Served> {
  const hostname = options.hostname ?? "127.0.0.1";
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 3000, hostname }, (info) => {
      resolve({
        url: `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${info.port}`,
        close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
      });
    });
  });
}
