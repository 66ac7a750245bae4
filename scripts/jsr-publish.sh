#!/usr/bin/env bash
# Publishes joeflow to JSR: the sources that deno.json's "publish" lists, with the interpreter bundled into
# worker/interpreter-bundle.js first. From JSR the modules are https: URLs, where Temporal's bundler cannot
# read the interpreter's sources, so createWorker fetches this bundle instead. The file is git-ignored and
# removed again afterwards, so that this repository keeps bundling from its sources.
#
#   bash scripts/jsr-publish.sh --dry-run     (any arguments go to `deno publish`)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bundle=worker/interpreter-bundle.js
trap 'rm -f "$bundle"' EXIT
node --import tsx scripts/embed-assets.ts
node --import tsx scripts/bundle-interpreter.ts "$bundle"
npx --no deno publish "$@"
