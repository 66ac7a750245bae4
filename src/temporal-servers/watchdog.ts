/**
 * A server that outlives the process that started it: the SDK's native code
 * spawns the Temporal servers as plain children and kills them at teardown
 * (`kill_on_drop`, SIGKILL), but a test process that is killed or crashes
 * never tears down, and the server is left running, orphaned.
 *
 * `watchedExecutable(target)` writes a small wrapper script that the SDK runs
 * instead of `target`. The wrapper starts a watchdog, then `exec`s the target,
 * so the server keeps the pid the SDK knows: its signals (SIGKILL at teardown)
 * reach the server itself and its exit code is the server's. The watchdog
 * (a separate `sh`, reparented to init, output to /dev/null) looks once a
 * second at the server's parent pid: when it is no longer the process that
 * started the wrapper, that process is gone, and the watchdog sends SIGTERM,
 * then SIGKILL after 5 s. It ends by itself when the server is gone. The
 * server's start time (Linux: /proc/<pid>/stat) guards against a reused pid;
 * a zombie counts as gone.
 *
 * Layout: <cache>/watched/<name>-<hash of the target path>   (mode 755)
 */
import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { cacheDir } from "./cache.ts";
import { log } from "./util.ts";

/** Single-quoted for sh. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

// Run as `sh -c WATCHDOG joeflow-watchdog <parent pid> <server pid>`: its command line names neither
// the server nor its arguments, so looking for the server by its command line does not find it.
// `info <pid>` prints "<parent pid> <start time>" (Linux) or "<parent pid> -" (elsewhere, via ps).
const WATCHDOG = `
trap '' INT HUP
parent=$1 server=$2
info() {
  if [ -d /proc/self ]; then
    { read -r line < "/proc/$1/stat"; } 2>/dev/null || return 1
    set -- \${line##*) }
    [ $# -ge 20 ] && [ "$1" != Z ] || return 1
    echo "$2 \${20}"
  else
    ppid=$(ps -o ppid= -p "$1" 2>/dev/null) || return 1
    echo $ppid -
  fi
}
first=$(info "$server") || exit 0
start=\${first#* }
gone() {
  now=$(info "$server") || return 0
  [ "\${now#* }" != "$start" ]
}
while sleep 1; do
  gone && exit 0
  [ "\${now%% *}" = "$parent" ] && continue
  kill -TERM "$server" 2>/dev/null
  for _ in 1 2 3 4 5; do
    sleep 1
    gone && exit 0
  done
  kill -KILL "$server" 2>/dev/null
  exit 0
done
`;

/** The wrapper script's text for `target`. */
export function watchdogScript(target: string): string {
  return `#!/bin/sh
# Written by joeflow: runs ${basename(target)} (exec, same pid) and stops it when the process that
# started this script is gone. See src/temporal-servers/watchdog.ts.
( sh -c ${shellQuote(WATCHDOG)} joeflow-watchdog "$PPID" "$$" </dev/null >/dev/null 2>&1 & )
exec ${shellQuote(target)} "$@"
`;
}

/** Path of the wrapper for `target` (may not exist yet). */
export function watchedPath(target: string): string {
  const hash = createHash("sha256").update(target).digest("hex").slice(0, 12);
  return join(cacheDir(), "watched", `${basename(target)}-${hash}`);
}

/**
 * Path of a wrapper that runs `target` under the watchdog, written (atomically)
 * if missing or out of date. Where no wrapper can be written (a read-only
 * cache, or Windows, which has no sh), `target` itself, without a watchdog.
 */
export async function watchedExecutable(target: string): Promise<string> {
  if (process.platform === "win32") return target;
  const path = watchedPath(target);
  const text = watchdogScript(target);
  try {
    if ((await readFile(path, "utf8").catch(() => "")) === text) return path;
    await mkdir(join(cacheDir(), "watched"), { recursive: true });
    const partial = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(partial, text);
      await chmod(partial, 0o755);
      await rename(partial, path);
    } finally {
      await rm(partial, { force: true });
    }
    return path;
  } catch (error) {
    log(`no watchdog for ${target} (it still runs, but outlives a killed process): ${String(error)}`);
    return target;
  }
}
