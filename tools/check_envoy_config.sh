#!/usr/bin/env bash
# Runs tools/check_envoy_config.py (a sh_test cannot run a .py directly in Bazel 4 offline).
exec python3 "$@"
