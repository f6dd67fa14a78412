#!/usr/bin/env bash
# Runs a Python test script with the system python3 (tools/setup.sh installs it): not a py_test,
# whose Bazel 4.2.3 stub wants a `python` Debian 12 lacks (tools/check_envoy_config.sh).
exec python3 "$@"
