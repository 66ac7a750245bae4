/** Stopping a long-running example process in order, shared by the demo and the cluster processes. */
import process from "node:process";

/** Runs `stop` once on SIGINT or SIGTERM (a deploy, Ctrl-C), then exits 0, or 1 if stopping failed. */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    stop().then(
      () => {
        console.log("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        console.error("could not stop cleanly:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
}
