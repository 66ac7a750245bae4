#!/usr/bin/env bash
# The suite on Deno, for CI. Sometimes a Deno process running one test file dies without a word and
# vitest reports "Worker exited unexpectedly": a segmentation fault in Deno's main thread, seen in
# long-loop (docs/runtimes.md). Then, and only then, the files that did not report are run once more.
# A test that failed is never run again: the step fails. The Temporal servers the dead process started
# stop by themselves (src/temporal-servers/watchdog.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if npx --no deno task test 2>&1 | tee "$log"; then exit 0; fi

plain="$(sed 's/\x1b\[[0-9;]*m//g' "$log")"
if ! grep -q "Worker exited unexpectedly" <<<"$plain" || grep -qE "Failed Tests|^ *FAIL " <<<"$plain"; then
  exit 1
fi
# vitest names each file's project first: "✓ |web| test/web/lists.test.ts".
reported='^ *✓ (\|[a-z]+\| )?'
passed="$(grep -oE "${reported}test/[^ ]+\.test\.ts" <<<"$plain" | sed -E "s/${reported}//" | sort -u)"
all="$(find test -name '*.test.ts' | sort)"
missing="$(comm -23 <(echo "$all") <(echo "$passed"))"
if [ -z "$missing" ]; then exit 1; fi
echo "::: a Deno test process died; running again what did not report: $(echo $missing)"
# The kernel's word on it, where we may read it (a segfault names the pid and the faulting address).
dmesg 2>/dev/null | grep -E 'deno\[[0-9]+\]: segfault' | tail -n 3 || true
# shellcheck disable=SC2086
npx --no deno task test $missing
