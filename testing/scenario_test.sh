#!/usr/bin/env bash
# Runs a scenario on a plugin's .wasm and natively; both traces must equal the golden one.
# Usage: scenario_test.sh RUNNER PLUGIN SCENARIO GOLDEN_TRACE
# To update the golden file: bazel run <the scenario target> > GOLDEN_TRACE
set -uo pipefail
runner="$1" plugin="$2" scenario="$3" golden="$4"
status=0
for backend in wasm native; do
  flag=""
  [[ "$backend" == native ]] && flag="--native"
  # The flag last, as `bazel run <scenario target> -- --native` passes it.
  if ! actual="$("$runner" "$plugin" "$scenario" $flag)"; then
    echo "FAIL ($backend): the runner failed" >&2
    status=1
  fi
  if ! diff -u "$golden" <(printf '%s\n' "$actual"); then
    echo "FAIL ($backend): the trace differs from $golden" >&2
    status=1
  fi
done
[[ $status == 0 ]] && echo "PASS: $scenario on wasm and native matches $golden"
exit $status
