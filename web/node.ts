/** Serves the web app on Node with @hono/node-server. */
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

/** How long close() lets requests in flight finish before it ends their connections. */
const CLOSE_GRACE_MS = 5_000;

export function serveNode(app: Hono, options: { port?: number; hostname?: string } = {}): Promise<Served> {
  const hostname = options.hostname ?? "127.0.0.1";
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 3000, hostname }, (info) => {
      resolve({
        url: `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${info.port}`,
        close: () => closeServer(server as Server),
      });
    });
  });
}

/**
 * Stops taking connections and resolves when the open ones are gone. Idle keep-alive connections are
 * ended at once (else close() waits for their timeout: 90 s on Deno), and after a grace period so are
 * the rest, live pages' event streams among them, which never end by themselves.
 */
function closeServer(server: Server): Promise<void> {
  return new Promise<void>((done, fail) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    server.close((error) => {
      clearTimeout(force);
      if (error) fail(error);
      else done();
    });
    server.closeIdleConnections();
  });
}
