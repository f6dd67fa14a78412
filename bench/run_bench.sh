#!/usr/bin/env bash
# Runs a benchmark binary with its arguments; its exit status is the test's.
set -euo pipefail
exec "$@"
