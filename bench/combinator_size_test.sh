#!/usr/bin/env bash
# What each combinator adds to a module stays within LIMIT bytes (the performance issue: 4 KiB).
# Args: LIMIT, then pairs MODULE BASELINE: MODULE's size less BASELINE's (the same filter built
# without the combinator: bench/plugins/combinator.cc) must be at most LIMIT.
set -euo pipefail
limit="$1"
shift
status=0
while [ $# -ge 2 ]; do
  module="$1" baseline="$2"
  shift 2
  size=$(stat -L -c %s "$module")  # -L: runfiles are symlinks
  base=$(stat -L -c %s "$baseline")
  line="$(basename "$module" .wasm) $size B - $(basename "$baseline" .wasm) $base B = $((size - base)) B"
  if [ $((size - base)) -gt "$limit" ]; then
    echo "FAIL: $line, over $limit" >&2
    status=1
  else
    echo "$line"
  fi
done
exit "$status"
