#!/usr/bin/env bash
# Regenerates BENCHMARKS.md and bench/profiles/ from measurements made now (bench/README.md).
#   bash bench/run.sh            the full run (about 15 minutes on 2 cores)
#   bash bench/run.sh --quick    fewer cycles, no 100,000-stream runs (to try a change)
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
# --strip=never: callgrind maps each function to its source file through the debug info.
bazel build --strip=never //bench:all //examples/... //tests/coro:all
bin="$(bazel info --strip=never bazel-bin 2>/dev/null)"
python3 bench/report.py "$bin" "$@"
