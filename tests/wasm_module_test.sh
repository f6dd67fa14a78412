#!/usr/bin/env bash
# Checks a Proxy-Wasm module: valid, exports the ABI marker, imports only from `env`, and
# (when MAX_BYTES is given) is no larger than MAX_BYTES.
# Usage: wasm_module_test.sh WASM_OBJDUMP WASM_VALIDATE MODULE.wasm [MAX_BYTES]
set -euo pipefail

objdump="$1"
validate="$2"
module="$3"
max_bytes="${4:-}"

fail() { echo "FAIL: $*" >&2; exit 1; }

[[ -s "$module" ]] || fail "$module is missing or empty"
"$validate" "$module" || fail "wasm-validate rejected $module"

details="$("$objdump" -x "$module")"
# One section of `wasm-objdump -x`: its header line and its " - " entries.
section() { awk -v s="$1" '/^[A-Z][A-Za-z]*\[/ { on = index($0, s "[") == 1 } on' <<<"$details"; }
imports="$(section Import | grep -- " <- " || true)"
exports="$(section Export)"
printf '%s\n%s\n' "$imports" "$exports"

grep -q -- '-> "proxy_abi_version_0_2_1"' <<<"$exports" \
  || fail "export proxy_abi_version_0_2_1 missing"
grep -q -- '-> "proxy_on_memory_allocate"' <<<"$exports" \
  || fail "export proxy_on_memory_allocate missing"
grep -q -- '-> "memory"' <<<"$exports" || fail "memory is not exported"
grep -q -- '-> "_initialize"' <<<"$exports" || fail "not a reactor (_initialize missing)"

foreign="$(grep -v -- ' <- env\.' <<<"$imports" || true)"
[[ -z "$foreign" ]] || fail "imports from modules other than env:
$foreign"

size=$(wc -c <"$module")
if [[ -n "$max_bytes" ]] && (( size > max_bytes )); then
  fail "$module is $size bytes, over its budget of $max_bytes"
fi
echo "PASS: $module ($size bytes${max_bytes:+, budget $max_bytes})"
