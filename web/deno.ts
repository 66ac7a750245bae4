/** Serves the web app on Deno with Deno.serve. */
import type { Hono } from "hono";
import type { Served } from "./node.ts";

interface DenoServer {
  readonly addr: { readonly port: number };
  shutdown(): Promise<void>;
}
declare const Deno: {
  serve(
    options: { port: number; hostname: string; onListen?: () => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): DenoServer;
};

export function serveDeno(app: Hono, options: { port?: number; hostname?: string } = {}): Served {
  const hostname = options.hostname ?? "127.0.0.1";
  const server = Deno.serve({ port: options.port ?? 3000, hostname, onListen: () => {} }, app.fetch);
  return { url: `http://${hostname}:${server.addr.port}`, close: () => server.shutdown() };
}
