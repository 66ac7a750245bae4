/**
 * A bench run's frame: a hard stop past its time limit, the cleanups run in reverse order whatever
 * happens, and an exit that never leaves the dev server (a child the SDK only kills at teardown) behind.
 */
import { DefaultLogger, Runtime } from "@temporalio/worker";
import { cpuSources } from "./cpu.ts";

/** What to undo at the end, last added first. */
export class Cleanups {
  private readonly steps: { what: string; run: () => Promise<void> | void }[] = [];

  add(what: string, run: () => Promise<void> | void): void {
    this.steps.unshift({ what, run });
  }

  async runAll(): Promise<void> {
    for (const step of this.steps) {
      try {
        await step.run();
      } catch (error) {
        console.error(`cleanup "${step.what}" failed:`, error);
      }
    }
  }
}

/** Set while the dev server is torn down: result() calls still waiting then fail on the closed channel. */
export const teardown = { started: false };

/** Exits at once, killing the dev server first. */
function emergencyExit(code: number): never {
  if (cpuSources.serverPid) {
    try {
      process.kill(cpuSources.serverPid, "SIGKILL");
    } catch { /* already gone */ }
  }
  process.exit(code);
}

process.on("uncaughtException", (error) => {
  if (teardown.started && /Channel has been shut down/.test(String(error))) return; // a client call given up on
  console.error("bench: uncaught", error);
  emergencyExit(1);
});

/**
 * Runs `body` with the SDK's logging at WARN and returns the exit code: 1 if it threw (after
 * `onFailure`), 0 otherwise. Exits with 3 if it still runs `graceS` seconds past `timeoutS`,
 * e.g. stuck in a cleanup.
 */
export async function runBench(
  limits: { timeoutS: number; graceS: number }, body: (cleanups: Cleanups) => Promise<void>, onFailure?: () => void,
): Promise<number> {
  const hardStopS = limits.timeoutS + limits.graceS;
  const hardStop = setTimeout(() => {
    console.error(`bench: still running ${hardStopS} s after the start; exiting`);
    emergencyExit(3);
  }, hardStopS * 1000);
  hardStop.unref();

  Runtime.install({ logger: new DefaultLogger("WARN") });
  const cleanups = new Cleanups();
  try {
    await body(cleanups);
    return 0;
  } catch (error) {
    console.error("\nbench failed:", error);
    onFailure?.();
    return 1;
  } finally {
    await cleanups.runAll();
  }
}
