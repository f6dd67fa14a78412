#!/usr/bin/env bash
# Installs the Debian 12 packages coproxy builds and tests with (Bazel 4.2.3, CMake + Ninja,
# clang-19 for native and wasm32-wasi, wabt, binaryen, googletest, abseil). Idempotent: does
# nothing when every package is already installed. Run as root (or via sudo).
set -euo pipefail

PACKAGES=(
  # Bazel 4.2.3 and the rule sets WORKSPACE points at (rules_java: needed even for C++).
  bazel-bootstrap bazel-skylib bazel-platforms bazel-rules-cc bazel-rules-java
  # clang-19 for native and wasm32-wasi (llvm-19: llvm-ar-19 is only a Recommends);
  # libclang-rt-19-dev: sanitizer runtimes for --config=asan.
  clang-19 lld-19 llvm-19 libclang-rt-19-dev
  libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libclang-rt-19-dev-wasm32 wasi-libc
  # Native test and benchmark dependencies (pkg-config: abseil's link flags).
  googletest libgtest-dev libgmock-dev libabsl-dev libbenchmark-dev pkg-config
  # JSON (coproxy/json.h), header-only: in every plugin that reads JSON, wasm and native.
  rapidjson-dev
  # nlohmann-json, header-only: bench/ only (the JSON library comparison, BENCHMARKS.md).
  nlohmann-json3-dev
  # wasm tools: wasm2c/wasm-objdump/wasm-validate (wabt), wasm-opt (binaryen).
  wabt binaryen
  # The examples' envoy.yaml check (tools/check_envoy_config.py).
  python3 python3-yaml
  # Shipping to a fleet (docs/deploy.md): the tests start a registry (the CNCF distribution
  # registry) on 127.0.0.1, push and pull the examples' OCI images with skopeo.
  docker-registry skopeo
  # The CMake build beside Bazel's (CMakeLists.txt, docs/build.md): CMake 3.25, Ninja.
  cmake ninja-build
  # The request-cost benchmark: callgrind, and valgrind/callgrind.h for bench/request_cost.cc.
  valgrind
)

die() { echo "tools/setup.sh: error: $*" >&2; exit 1; }

missing=()
for pkg in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "installed" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "tools/setup.sh: all ${#PACKAGES[@]} packages already installed."
  exit 0
fi

[[ "$(id -u)" -eq 0 ]] || die "missing packages (${missing[*]}); run as root: sudo $0"
command -v apt-get >/dev/null || die "apt-get not found; coproxy expects Debian 12 (bookworm)"

echo "tools/setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; die "apt-get update failed"; }
apt-get install -y -qq "${missing[@]}" >"$log" 2>&1 \
  || { tail -n 40 "$log" >&2; die "apt-get install failed for: ${missing[*]}"; }

# Verify: every package installed, and the tools the build calls are present.
for pkg in "${missing[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "installed" ]] || die "package $pkg is still not installed"
done
for tool in bazel clang-19 clang++-19 wasm-ld-19 llvm-ar-19 wasm-opt wasm2c wasm-objdump \
            wasm-validate pkg-config docker-registry skopeo cmake ninja; do
  command -v "$tool" >/dev/null || die "$tool not on PATH after installation"
done
echo "tools/setup.sh: done."
