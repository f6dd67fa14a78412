#!/usr/bin/env bash
# The CMake build (CMakeLists.txt, cmake/), tested from clean beside Bazel's. Run by
# tools/test.sh after the Bazel tests, whose modules it compares with:
#   1. a wasm32 configure through a wasi-sdk layout's own toolchain file
#      (-DCMAKE_TOOLCHAIN_FILE=$WASI_SDK_PATH/share/cmake/wasi-sdk.cmake; the layout is
#      tools/wasi_sdk_layout.sh's, from Debian's packages) builds every plugin: each .wasm must
#      be byte-identical to Bazel's;
#   2. a native configure (clang-19, GoogleTest by find_package) builds the emulator, the
#      wasm2c backend and the tests, its wasm32 sub-build being step 1's tree, and `ctest`
#      runs them all, the sub-build's module, envoy.yaml and deploy tests included;
#   3. ctest's test names (Bazel labels) are compared with `bazel query 'tests(//...)'`: the
#      same tests, none missing on either side;
#   4. both trees are installed to one prefix, and templates/plugin-cmake/ is built and tested
#      from its own directory against it (find_package) and against this checkout
#      (add_subdirectory): its my_filter.wasm must be the Bazel template's, byte for byte.
#
#   bash tools/test_cmake.sh [VERSION]   # the wasi-sdk layout to build through, default 25
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:-25}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/coproxy-cmake.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
say() { echo "tools/test_cmake.sh: $*"; }
fail() { echo "tools/test_cmake.sh: FAIL: $*" >&2; exit 1; }
seconds() { echo $(($(date +%s) - $1)); }

# Bazel's modules to compare with (built already when tools/test.sh runs this).
bazel build $(bazel query 'kind(wasm_plugin, //...)' 2>/dev/null) >"$scratch/bazel.log" 2>&1 \
  || { tail -n 40 "$scratch/bazel.log" >&2; fail "bazel build of the plugins"; }

bash tools/wasi_sdk_layout.sh "$scratch/wasi-sdk" "$version" >/dev/null
toolchain="$scratch/wasi-sdk/share/cmake/wasi-sdk.cmake"

# 1. Every plugin to .wasm through the wasi-sdk's toolchain file.
start=$(date +%s)
cmake -S . -B "$scratch/wasm" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" >"$scratch/wasm.log" 2>&1 \
  && cmake --build "$scratch/wasm" >>"$scratch/wasm.log" 2>&1 \
  || { tail -n 40 "$scratch/wasm.log" >&2; fail "the wasm32 build (wasi-sdk $version layout)"; }
say "wasm32 build through wasi-sdk $version's wasi-sdk.cmake: $(seconds "$start") s from clean"

modules=0
while IFS= read -r module; do
  [[ -f "bazel-bin/$module" ]] || fail "$module: CMake builds it, Bazel does not"
  cmp -s "$scratch/wasm/$module" "bazel-bin/$module" \
    || fail "$module differs from Bazel's ($(stat -c %s "$scratch/wasm/$module") vs $(stat -c %s "bazel-bin/$module") bytes)"
  modules=$((modules + 1))
done < <(cd "$scratch/wasm" && find examples tests docs bench -name '*.wasm' -not -path '*_image*' 2>/dev/null | sort)
[[ $modules -gt 90 ]] || fail "only $modules modules built"
say "ok: all $modules modules byte-identical to Bazel's"
for module in examples/hello/hello.wasm examples/http_auth/http_auth.wasm examples/fan_out/fan_out.wasm; do
  say "size: $module $(stat -c %s "$scratch/wasm/$module") B"
done

# 2. Natively: the emulator, the wasm2c backend, the tests; ctest.
start=$(date +%s)
CC=clang-19 CXX=clang++-19 cmake -S . -B "$scratch/native" -G Ninja \
    -DCOPROXY_WASM_TOOLCHAIN_FILE="$toolchain" -DCOPROXY_WASM_BINARY_DIR="$scratch/wasm" \
    >"$scratch/native.log" 2>&1 \
  && cmake --build "$scratch/native" >>"$scratch/native.log" 2>&1 \
  || { tail -n 40 "$scratch/native.log" >&2; fail "the native build"; }
say "native build (the wasm32 tree reused): $(seconds "$start") s"
start=$(date +%s)
if ! (cd "$scratch/native" && ctest -j2 --output-on-failure >"$scratch/ctest.log" 2>&1); then
  grep -E '\*\*\*|Failed|tests passed' "$scratch/ctest.log" >&2 || true
  tail -n 60 "$scratch/ctest.log" >&2
  fail "ctest"
fi
say "ok: ctest: $(grep -E 'tests passed' "$scratch/ctest.log") in $(seconds "$start") s"

# 3. The same tests as Bazel's.
(cd "$scratch/native" && ctest -N) | sed -n 's/^ *Test *#[0-9]*: //p' | sort >"$scratch/ctest.txt"
bazel query 'tests(//...)' 2>/dev/null | sort >"$scratch/bazel.txt"
missing="$(comm -23 "$scratch/bazel.txt" "$scratch/ctest.txt")"
[[ -z "$missing" ]] || fail "Bazel tests that ctest lacks: $missing"
extra="$(comm -13 "$scratch/bazel.txt" "$scratch/ctest.txt")"
[[ -z "$extra" ]] || fail "ctest tests that Bazel lacks: $extra"
[[ $(wc -l <"$scratch/bazel.txt") -gt 250 ]] || fail "bazel query listed too few tests"
say "ok: ctest runs Bazel's $(wc -l <"$scratch/bazel.txt") tests, the same names"

# 4. A plugin in a CMake project of its own (templates/plugin-cmake/), from its own directory:
#    against the installed package (both trees above installed to one prefix; find_package),
#    then against this checkout (add_subdirectory). Either way its .wasm must be the Bazel
#    template's, byte for byte, and its ctest must pass.
for file in my_filter.cc my_filter_test.cc my_filter.scenario my_filter.trace; do
  cmp -s "templates/plugin/$file" "templates/plugin-cmake/$file" \
    || fail "templates/plugin-cmake/$file differs from templates/plugin/$file (keep the copies equal)"
done
(cd templates/plugin && bazel build :my_filter >"$scratch/template-bazel.log" 2>&1) \
  || { tail -n 20 "$scratch/template-bazel.log" >&2; fail "bazel build of templates/plugin"; }
bazel_template="$(cd templates/plugin && bazel info bazel-bin 2>/dev/null)/my_filter.wasm"
(cd templates/plugin && bazel shutdown) >/dev/null 2>&1 || true
prefix="$scratch/prefix"
start=$(date +%s)
for tree in wasm native; do
  cmake --install "$scratch/$tree" --prefix "$prefix" >"$scratch/install-$tree.log" 2>&1 \
    || { tail -n 20 "$scratch/install-$tree.log" >&2; fail "cmake --install of the $tree tree"; }
done
say "ok: installed the wasm32 and the native package to one prefix ($(seconds "$start") s)"
template_build() {  # template_build NAME CMAKE_ARGS...: configure, build and ctest the template
  local name="$1" log="$scratch/template-$1.log" start
  shift
  start=$(date +%s)
  (cd templates/plugin-cmake \
     && WASI_SDK_PATH="$scratch/wasi-sdk" CC=clang-19 CXX=clang++-19 \
          cmake -S . -B "$scratch/template-$name" -G Ninja "$@" \
     && cmake --build "$scratch/template-$name" \
     && ctest --test-dir "$scratch/template-$name" --output-on-failure) >"$log" 2>&1 \
    || { tail -n 40 "$log" >&2; fail "templates/plugin-cmake with $name"; }
  grep -q '100% tests passed, 0 tests failed out of 4' "$log" \
    || fail "templates/plugin-cmake with $name: not its 4 tests passing"
  cmp -s "$scratch/template-$name/wasm/my_filter.wasm" "$bazel_template" \
    || fail "templates/plugin-cmake with $name: my_filter.wasm differs from Bazel's"
  say "ok: templates/plugin-cmake with $name: 4 tests pass, my_filter.wasm" \
      "($(stat -c %s "$bazel_template") B) is Bazel's; $(seconds "$start") s"
}
template_build "find_package" -DCMAKE_PREFIX_PATH="$prefix"
template_build "add_subdirectory" -DCOPROXY_CHECKOUT="$PWD"
