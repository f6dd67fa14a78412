#!/usr/bin/env bash
# The main job: installs what is missing, builds every example plugin to .wasm (bazel build
# //...), regenerates the examples table, prints each module's size and imports, then runs
# http_auth.wasm through the host emulator with examples/http_auth/http_auth.scenario and
# prints the trace.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
bazel build //...
bash tools/examples_table.sh  # examples/README.md's table: name, style, idea, .wasm size

echo
echo "Example plugins (wasm32-wasi, wasm-opt -Oz):"
bin="$(bazel info bazel-bin 2>/dev/null)"
shopt -s nullglob
for wasm in "$bin"/examples/*/*.wasm; do
  echo
  echo "$(basename "$wasm"): $(wc -c <"$wasm") bytes"
  wasm-objdump -x -j Import "$wasm" | sed -n 's/^ - func\[[0-9]*\] sig=[0-9]* <\([^>]*\)>.*/  imports \1/p'
done

echo
echo "http_auth.wasm through the host emulator (examples/http_auth/http_auth.scenario): '->' is"
echo "a callback into the plugin, indented lines are the host calls it makes, '##' the scenario."
echo
"$bin/examples/http_auth/http_auth_scenario" http_auth examples/http_auth/http_auth.scenario
