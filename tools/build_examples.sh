#!/usr/bin/env bash
# The main job: installs what is missing, builds every example plugin to .wasm (bazel build
# //...), prints each module's size and imports, then runs hello.wasm through the host
# emulator with examples/hello/hello.scenario and prints the trace.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
bazel build //...

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
echo "hello.wasm through the host emulator (examples/hello/hello.scenario; '->' is a callback"
echo "into the plugin, indented lines are its host calls):"
echo
"$bin/examples/hello/hello_scenario" hello examples/hello/hello.scenario
