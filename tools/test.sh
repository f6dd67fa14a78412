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

# section TITLE PASSED_LINE FAILED_LINE COMMAND...: runs COMMAND with its output shown, and
# counts its lines matching each pattern (grep -E) as passed and failed checks.
section() {
  local title="$1" pass="$2" fail="$3" log
  shift 3
  echo "== $title"
  log="$(mktemp)"
  "$@" 2>&1 | tee "$log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
  passed=$((passed + $(grep -cE "$pass" "$log" || true)))
  failed=$((failed + $(grep -cE "$fail" "$log" || true)))
  rm -f "$log"
}
BAZEL_PASSED='^//[^ ]+ +(\(cached\) )?PASSED'
BAZEL_FAILED='^//[^ ]+ +(FAILED|TIMEOUT|NO STATUS|FAILED TO BUILD)'

section "bazel test (native) //..." "$BAZEL_PASSED" "$BAZEL_FAILED" bazel test //...
section "bazel test --config=asan //..." "$BAZEL_PASSED" "$BAZEL_FAILED" \
  bazel test --config=asan //...

# A plugin in its own workspace (templates/plugin, docs/new-plugin.md), built from its own
# directory against this checkout, so that the template cannot rot.
section "bazel test //... in templates/plugin (its own workspace)" "$BAZEL_PASSED" "$BAZEL_FAILED" \
  bash -c 'cd templates/plugin && bazel test //...'
(cd templates/plugin && bazel shutdown) >/dev/null 2>&1 || true

# The WASI_SDK_PATH build through every wasi-sdk layout 21-25 and later (assembled from
# Debian's packages): modules byte-identical to the default build's; a bad WASI_SDK_PATH refused.
section "wasi-sdk layouts (tools/test_wasi_sdk.sh)" \
  '^tools/test_wasi_sdk.sh: (wasi-sdk .*byte-identical|refused,)' '^tools/test_wasi_sdk.sh: FAIL' \
  bash tools/test_wasi_sdk.sh

# The CMake build: every plugin through a wasi-sdk's toolchain file, byte-identical to Bazel's;
# natively the emulator and the tests; ctest; the same test names as Bazel's.
section "CMake build and ctest (tools/test_cmake.sh)" \
  '^tools/test_cmake.sh: ok:' '^tools/test_cmake.sh: FAIL' bash tools/test_cmake.sh

# coproxy_repositories() in a workspace with dependencies of its own (bazel/workspace.bzl).
section "coproxy_repositories() arguments (tools/test_workspace_overrides.sh)" \
  '^tools/test_workspace_overrides.sh: ok:' '^tools/test_workspace_overrides.sh: FAIL' \
  bash tools/test_workspace_overrides.sh

# Each fuzzer for a while, with ASan + UBSan: a finding fails the run.
section "fuzzers, ${FUZZ_SECONDS:-60} s each (tools/fuzz.sh)" \
  '^fuzz: //[^ ]+ PASSED' '^fuzz: //[^ ]+ FAILED' bash tools/fuzz.sh

# A build failure leaves no per-test line: count it as a failure.
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
echo
echo "${passed} passed, ${failed} failed"
exit $status
