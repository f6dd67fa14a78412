#!/usr/bin/env bash
# Regenerates BENCHMARKS.md and bench/profiles/ from measurements made now (bench/README.md).
#   bash bench/run.sh            the full run (about 15 minutes on 2 cores)
#   bash bench/run.sh --quick    fewer cycles, no 100,000-stream runs (to try a change)
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
# --strip=never: callgrind maps each function to its source file through the debug info.
bin="$(bazel info --strip=never bazel-bin 2>/dev/null)"

# First the modules optimized for speed (--features=wasm_speed: -O2, not -Oz), for the size
# against speed table: their drivers and modules are copied aside, as the build below
# replaces them.
speed="$(mktemp -d)"
trap 'rm -rf "$speed"' EXIT
bazel build --strip=never --features=wasm_speed //bench:request_cost_O0 //bench:request_cost_O2 \
  //examples/hello //examples/http_auth:all //bench/plugins:all
cp "$bin"/bench/request_cost_O0 "$bin"/bench/request_cost_O2 "$speed"/
for module in examples/hello/hello examples/http_auth/http_auth \
  bench/plugins/bench_callbacks bench/plugins/bench_tasks bench/plugins/bench_stream; do
  mkdir -p "$speed/$(dirname "$module")"
  cp "$bin/$module.wasm" "$speed/$module.wasm"
done

bazel build --strip=never //bench:all //examples/... //tests/coro:all
python3 bench/report.py "$bin" "$speed" "$@"
