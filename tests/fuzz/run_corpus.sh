#!/usr/bin/env bash
# Runs a libFuzzer binary once over each given input (no fuzzing): a regression test.
set -euo pipefail
fuzzer="$1"
shift
[[ $# -gt 0 ]] || { echo "run_corpus.sh: no inputs" >&2; exit 1; }
"$fuzzer" "$@" 2>&1 | tail -n 3
echo "replayed $# inputs"
