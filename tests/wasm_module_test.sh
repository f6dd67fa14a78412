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

# Every export of ABI v0.2.1 (coproxy exports them all; unused ones cost a few bytes each),
# the deprecated allocator name, and what a reactor module has.
for name in memory _initialize proxy_abi_version_0_2_1 proxy_on_memory_allocate malloc \
    proxy_on_context_create proxy_on_vm_start proxy_on_configure proxy_on_tick \
    proxy_on_queue_ready proxy_on_foreign_function proxy_on_new_connection \
    proxy_on_downstream_data proxy_on_upstream_data proxy_on_downstream_connection_close \
    proxy_on_upstream_connection_close proxy_on_request_headers proxy_on_request_body \
    proxy_on_request_trailers proxy_on_response_headers proxy_on_response_body \
    proxy_on_response_trailers proxy_on_http_call_response \
    proxy_on_grpc_receive_initial_metadata proxy_on_grpc_receive \
    proxy_on_grpc_receive_trailing_metadata proxy_on_grpc_close proxy_on_done proxy_on_log \
    proxy_on_delete; do
  grep -q -- "-> \"$name\"" <<<"$exports" || fail "export $name missing"
done

foreign="$(grep -v -- ' <- env\.' <<<"$imports" || true)"
[[ -z "$foreign" ]] || fail "imports from modules other than env:
$foreign"

size=$(wc -c <"$module")
if [[ -n "$max_bytes" ]] && (( size > max_bytes )); then
  fail "$module is $size bytes, over its budget of $max_bytes"
fi
echo "PASS: $module ($size bytes${max_bytes:+, budget $max_bytes})"
