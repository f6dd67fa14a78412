#!/usr/bin/env bash
# The benchmark translates a module that keeps its names; without them it must be the shipped
# module, byte for byte. Args: WASM_OPT NAMED_WASM SHIPPED_WASM
set -euo pipefail
wasm_opt="$1" named="$2" shipped="$3"
stripped="$(mktemp "${TEST_TMPDIR:-/tmp}/stripped.XXXXXX")"  # ctest runs several at once
trap 'rm -f "$stripped"' EXIT
"$wasm_opt" "$named" --strip-debug -o "$stripped"
if ! cmp -s "$stripped" "$shipped"; then
  echo "FAIL: $named without names differs from $shipped" >&2
  exit 1
fi
echo "same code: $named (names stripped) == $shipped ($(stat -c %s "$shipped") bytes)"
