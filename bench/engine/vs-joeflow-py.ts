/**
 * The original beside us (`bench/engine.ts --vs joeflow-py`): joeflow 2 on Django with Dramatiq over
 * Redis, from the anchor in ../shared/anchors/joeflow-py (its README says what it measures). This
 * starts its PostgreSQL (which our side then uses too: the same server and settings) and Redis on free
 * ports in a temporary folder, makes its virtual environment once if it is missing (python3 -m venv and
 * pip, as its README says; kept in $JOEFLOW_PY_BASE, default <tmp>/joeflow-py), and runs its bench.py.
 *
 * Needs python3, and PostgreSQL's initdb/pg_ctl and redis-server (Debian: apt-get install -y
 * postgresql redis-server). $JOEFLOW_PY_ANCHOR overrides where the anchor is.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Cleanups } from "../support/run.ts";

const ANCHOR =
  process.env.JOEFLOW_PY_ANCHOR ?? fileURLToPath(new URL("../../../shared/anchors/joeflow-py", import.meta.url));
const PACKAGES = ["joeflow[reversion,dramatiq,celery]", "celery[redis]", "psycopg[binary]", "redis", "psutil"];

/** What bench.py reports of one measured round (its RESULT line). */
export interface PyRound {
  readonly wall_s: number;
  readonly steps_per_s: number;
  readonly cpu_ms_per_step: number;
  readonly cpu_total_s: number;
  readonly instances: number;
}
export interface PyRun {
  readonly rounds: readonly PyRound[];
  readonly solo_step_ms?: { readonly p50: number; readonly p99: number };
  readonly versions: Record<string, string>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });

/** The anchor's virtual environment: made once, as its README says. */
function venvPython(): string {
  const venv = join(process.env.JOEFLOW_PY_BASE ?? join(tmpdir(), "joeflow-py"), "venv");
  const python = join(venv, "bin", "python");
  if (existsSync(python)) return python;
  console.log(`joeflow-py: making its virtual environment in ${venv} (once; a minute or two)`);
  execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
  execFileSync(join(venv, "bin", "pip"), ["install", "-q", ...PACKAGES], { stdio: "inherit" });
  return python;
}

/** Starts the anchor's PostgreSQL and Redis; answers the PostgreSQL URL for our side and how to run bench.py. */
export async function startJoeflowPy(cleanups: Cleanups) {
  if (!existsSync(join(ANCHOR, "bench.py"))) throw new Error(`--vs joeflow-py: no anchor in ${ANCHOR}`);
  const python = venvPython();
  const base = mkdtempSync(join(tmpdir(), "joeflow-py-services-"));
  const env = {
    ...process.env,
    JOEFLOW_PY_BASE: base,
    JFPY_PG_PORT: String(await freePort()),
    JFPY_REDIS_PORT: String(await freePort()),
  };
  const services = (arg: string) => execFileSync(join(ANCHOR, "services.sh"), [arg], { env, stdio: "inherit" });
  cleanups.add("remove joeflow-py's services folder", () => rmSync(base, { recursive: true, force: true }));
  cleanups.add("stop joeflow-py's PostgreSQL and Redis", () => services("stop"));
  services("start");

  /** One bench.py run; its lines are printed indented as they come. */
  const run = (args: readonly string[]) =>
    new Promise<PyRun>((resolve, reject) => {
      const child = spawn(python, [join(ANCHOR, "bench.py"), ...args], { cwd: ANCHOR, env });
      let result: PyRun | undefined;
      child.stderr.pipe(process.stderr);
      createInterface({ input: child.stdout }).on("line", (line) => {
        if (line.startsWith("RESULT ")) result = JSON.parse(line.slice("RESULT ".length)) as PyRun;
        else console.log(`  [joeflow-py] ${line}`);
      });
      child.on("error", reject);
      child.on("close", (code) =>
        result && code === 0 ? resolve(result) : reject(new Error(`joeflow-py's bench.py exited with ${code}`)),
      );
    });
  return { pgUrl: `postgres://postgres@127.0.0.1:${env.JFPY_PG_PORT}/postgres`, run };
}
