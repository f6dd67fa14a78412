#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, then every test natively
# (bazel test //...) and again under AddressSanitizer + UndefinedBehaviorSanitizer (each with
# every fault sweep), then the plugin template's tests from its own workspace
# (templates/plugin), then the wasi-sdk layouts (tools/test_wasi_sdk.sh) and
# coproxy_repositories()'s arguments (tools/test_workspace_overrides.sh), then each fuzzer for
# FUZZ_SECONDS (60 by default; tools/fuzz.sh).
# Ends with one summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh || exit 1

passed=0
failed=0
status=0
for config in "" "--config=asan"; do
  echo "== bazel test ${config:-(native)} //..."
  log="$(mktemp)"
  bazel test $config //... 2>&1 | tee "$log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
  p=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log" || true)
  f=$(grep -cE '^//[^ ]+ +(FAILED|TIMEOUT|NO STATUS|FAILED TO BUILD)' "$log" || true)
  passed=$((passed + p))
  failed=$((failed + f))
  rm -f "$log"
done

# A plugin in its own workspace (templates/plugin, docs/new-plugin.md), built from its own
# directory against this checkout, so that the template cannot rot.
echo "== bazel test //... in templates/plugin (its own workspace)"
log="$(mktemp)"
(cd templates/plugin && bazel test //... 2>&1) | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
passed=$((passed + $(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log" || true)))
failed=$((failed + $(grep -cE '^//[^ ]+ +(FAILED|TIMEOUT|NO STATUS|FAILED TO BUILD)' "$log" || true)))
rm -f "$log"
(cd templates/plugin && bazel shutdown) >/dev/null 2>&1 || true

# The WASI_SDK_PATH build through every wasi-sdk layout 21-25 (assembled from Debian's
# packages): modules byte-identical to the default build's; a bad WASI_SDK_PATH refused.
echo "== wasi-sdk layouts (tools/test_wasi_sdk.sh)"
log="$(mktemp)"
bash tools/test_wasi_sdk.sh 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
passed=$((passed + $(grep -cE '^tools/test_wasi_sdk.sh: (wasi-sdk .*byte-identical|refused,)' "$log" || true)))
failed=$((failed + $(grep -cE '^tools/test_wasi_sdk.sh: FAIL' "$log" || true)))
rm -f "$log"

# coproxy_repositories() in a workspace with dependencies of its own (bazel/workspace.bzl).
echo "== coproxy_repositories() arguments (tools/test_workspace_overrides.sh)"
log="$(mktemp)"
bash tools/test_workspace_overrides.sh 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
passed=$((passed + $(grep -cE '^tools/test_workspace_overrides.sh: ok:' "$log" || true)))
failed=$((failed + $(grep -cE '^tools/test_workspace_overrides.sh: FAIL' "$log" || true)))
rm -f "$log"

# Each fuzzer for a while, with ASan + UBSan: a finding fails the run.
echo "== fuzzers, ${FUZZ_SECONDS:-60} s each (tools/fuzz.sh)"
log="$(mktemp)"
bash tools/fuzz.sh 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
passed=$((passed + $(grep -cE '^fuzz: //[^ ]+ PASSED' "$log" || true)))
failed=$((failed + $(grep -cE '^fuzz: //[^ ]+ FAILED' "$log" || true)))
rm -f "$log"

# A build failure leaves no per-test line: count it as a failure.
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
echo
echo "${passed} passed, ${failed} failed"
exit $status
