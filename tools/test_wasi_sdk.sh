#!/usr/bin/env bash
# The WASI_SDK_PATH build, tested: each wasi-sdk layout of releases 21-25 and later, assembled by
# tools/wasi_sdk_layout.sh from Debian's packages, builds the example plugins, and every module
# must be byte-identical to the default build's (the same clang-19 underneath); a wrong or old
# WASI_SDK_PATH must fail at once, naming the path and the fix. Run by tools/test.sh.
#
#   bash tools/test_wasi_sdk.sh [VERSION...]   # default: 21 22 23 24 25 later
#
# Every example goes through the newest layout ("later": wasm32-wasip1 only, per-target
# builtins, the one furthest from Debian's); the others build hello, http_auth and fan_out
# (any module exercises a layout's paths; the whole set once shows that nothing depends on the
# layout). Each layout builds in an output base of its own, so the main one's cache is left
# as it was.
set -euo pipefail
cd "$(dirname "$0")/.."

versions=("$@")
[[ $# -gt 0 ]] || versions=(21 22 23 24 25 later)
scratch="$(mktemp -d "${TMPDIR:-/tmp}/coproxy-wasi-sdk.XXXXXX")"
bases=()
cleanup() {
  for base in "${bases[@]}"; do bazel --output_base="$base" shutdown >/dev/null 2>&1 || true; done
  chmod -R u+w "$scratch" 2>/dev/null || true  # Bazel leaves its outputs read-only
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "tools/test_wasi_sdk.sh: FAIL: $*" >&2; exit 1; }

# The plugins, by label, and the default build's modules to compare with.
all_plugins=($(bazel query 'kind(wasm_plugin, //examples/...)' 2>/dev/null | sort))
[[ ${#all_plugins[@]} -gt 30 ]] || fail "found only ${#all_plugins[@]} example plugins"
few_plugins=(//examples/hello:hello //examples/http_auth:http_auth //examples/fan_out:fan_out)
module_of() { local label="${1#//}"; echo "${label%%:*}/${label##*:}.wasm"; }
bazel build "${all_plugins[@]}" 2>"$scratch/default.log" || { cat "$scratch/default.log" >&2; fail "default build"; }
mkdir -p "$scratch/default"
for plugin in "${all_plugins[@]}"; do
  module="$(module_of "$plugin")"
  mkdir -p "$scratch/default/$(dirname "$module")"
  cp "bazel-bin/$module" "$scratch/default/$module"
done

# build_through SDK OUTPUT_BASE LABEL...: bazel build with WASI_SDK_PATH=SDK in its own base
# (--symlink_prefix=/: the checkout's bazel-bin and co. keep pointing at the main base).
build_through() {
  local sdk="$1" base="$2"
  shift 2
  bases+=("$base")
  WASI_SDK_PATH="$sdk" bazel --output_base="$base" build --symlink_prefix=/ "$@"
}

for version in "${versions[@]}"; do
  sdk="$scratch/wasi-sdk-$version"
  base="$scratch/base-$version"
  bash tools/wasi_sdk_layout.sh "$sdk" "$version" >/dev/null
  plugins=("${few_plugins[@]}")
  [[ "$version" == later ]] && plugins=("${all_plugins[@]}")
  started=$SECONDS
  build_through "$sdk" "$base" "${plugins[@]}" >"$scratch/build-$version.log" 2>&1 \
    || { tail -n 30 "$scratch/build-$version.log" >&2; fail "wasi-sdk $version: build failed"; }
  bin="$(WASI_SDK_PATH="$sdk" bazel --output_base="$base" info bazel-bin 2>/dev/null)"
  # external/coproxy_wasm_toolchain: the repository's WORKSPACE-mode directory.
  grep -q "wasi-sdk" "$base/external/coproxy_wasm_toolchain/config.bzl" \
    || fail "wasi-sdk $version: the build did not go through WASI_SDK_PATH"
  different=()
  for plugin in "${plugins[@]}"; do
    module="$(module_of "$plugin")"
    cmp -s "$bin/$module" "$scratch/default/$module" || different+=("$module")
  done
  [[ ${#different[@]} -eq 0 ]] \
    || fail "wasi-sdk $version: ${#different[@]} modules differ from the default build's: ${different[*]}"
  echo "tools/test_wasi_sdk.sh: wasi-sdk $version layout: ${#plugins[@]} modules, byte-identical" \
       "to the default build's ($((SECONDS - started)) s;" \
       "$(grep -o 'kind = "[^"]*"' "$base/external/coproxy_wasm_toolchain/config.bzl"))"
  WASI_SDK_PATH="$sdk" bazel --output_base="$base" shutdown >/dev/null 2>&1 || true
done

# A wrong or old WASI_SDK_PATH fails at once, with the path and the fix in the message.
expect_refused() {  # expect_refused SDK WHAT: the build through SDK fails, naming SDK and the fix
  local sdk="$1" what="$2" log="$scratch/refused.log"
  if build_through "$sdk" "$scratch/base-bad" //examples/hello:hello >"$log" 2>&1; then
    fail "a WASI_SDK_PATH with $what built"
  fi
  local message
  message="$(grep -o 'Error in fail: coproxy: .*' "$log" | head -n 1)"
  [[ "$message" == *"WASI_SDK_PATH=${sdk%/}"* && "$message" == *"Fix WASI_SDK_PATH"* ]] \
    || { tail -n 20 "$log" >&2; fail "a WASI_SDK_PATH with $what: the error does not name the path and the fix"; }
  echo "tools/test_wasi_sdk.sh: refused, $what: ${message#Error in fail: }"
}
expect_refused "$scratch/no-such-sdk" "no directory"
bash tools/wasi_sdk_layout.sh "$scratch/no-sysroot" 24 >/dev/null
rm -rf "$scratch/no-sysroot/share/wasi-sysroot"
expect_refused "$scratch/no-sysroot" "no sysroot"
bash tools/wasi_sdk_layout.sh "$scratch/old-clang" 21 >/dev/null
for driver in clang clang++; do  # wasi-sdk 20's clang 16
  printf '#!/bin/sh\necho "clang version 16.0.0"\n' >"$scratch/old-clang/bin/$driver"
done
expect_refused "$scratch/old-clang" "clang 16"
echo "tools/test_wasi_sdk.sh: PASS (wasi-sdk layouts ${versions[*]}; 3 bad WASI_SDK_PATHs refused)"
