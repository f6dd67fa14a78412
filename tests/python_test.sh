#!/usr/bin/env bash
# Runs a Python test script with the system python3 (tools/setup.sh installs it).
exec python3 "$@"
