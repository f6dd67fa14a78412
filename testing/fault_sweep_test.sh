#!/usr/bin/env bash
# Runs one PluginTest binary in fault-sweep mode (testing/fault_sweep.h); its last lines say
# how many (test, host call, status) runs it made.
set -euo pipefail
COPROXY_FAULT_SWEEP=1 "$1" --gtest_brief=1
