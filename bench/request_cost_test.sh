#!/usr/bin/env bash
# Every benchmark module does its workload's work, cycle after cycle, on both translations
# (request_cost fails a cycle whose work was not done). Args: REQUEST_COST_O0 REQUEST_COST_O2
set -euo pipefail
for driver in "$@"; do
  for module in floor bench_callbacks bench_tasks bench_stream; do
    for workload in noop headers callout body full; do
      "$driver" "$module" "$workload" 20 3
    done
  done
  "$driver" hello noop 20 3
  for module in http_auth http_auth_callbacks http_auth_stream; do
    "$driver" "$module" callout 20 3
  done
done
