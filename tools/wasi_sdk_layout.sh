#!/usr/bin/env bash
# Assembles, from Debian's toolchain packages, a directory laid out like a wasi-sdk release
# unpacked from its tarball, so that the WASI_SDK_PATH build is tested here (docs/build.md,
# "wasi-sdk"). The compiler underneath is Debian's clang-19 either way, so modules built
# through the layout must be byte-identical to the default build's (tools/test_wasi_sdk.sh).
#
#   tools/wasi_sdk_layout.sh DIR VERSION     # VERSION: 21 22 23 24 25 later
#
# What differs between releases, and is reproduced here (docs/build.md names the sources):
#   lib/clang/NN   the LLVM major: 17 (21), 18 (22-24), 19 (25)
#   sysroot        flat include/ with include/c++/v1 (21); per target include/<t>/,
#                  include/<t>/c++/v1 and lib/<t>/ for wasm32-wasi and wasm32-wasip1, with an
#                  empty include/c++/v1 (22-25); "later": wasm32-wasip1 only (wasi-sdk
#                  removed its wasm32-wasi targets after 25)
#   builtins       lib/clang/NN/lib/wasi/libclang_rt.builtins-wasm32.a (21), copied to
#                  lib/wasip1 and lib/wasip2 too (22-25); "later": per target,
#                  lib/clang/NN/lib/wasm32-unknown-wasip1/libclang_rt.builtins.a
#   VERSION        in 22 and 25 (not in 21, 23, 24)
#   share/cmake    wasi-sdk.cmake and Platform/WASI.cmake, the release's CMake toolchain
# bin/clang, clang++ and clang-NN are two-line scripts running Debian's clang-19 with this
# layout's resource directory and sysroot as defaults (a real wasi-sdk's clang has both built
# in; a symlink would find Debian's); every other file is a symlink.
set -euo pipefail

die() { echo "tools/wasi_sdk_layout.sh: error: $*" >&2; exit 1; }
[[ $# -eq 2 ]] || die "usage: $0 DIR VERSION (21 22 23 24 25 later)"
sdk="$1" version="$2"
llvm=/usr/lib/llvm-19
debian_resource="$llvm/lib/clang/19"
[[ -x /usr/bin/clang-19 && -d /usr/include/wasm32-wasi && -d "$llvm/lib/wasm32-wasi" ]] \
  || die "Debian's clang-19, wasi-libc and libc++-19-dev-wasm32 are needed: run tools/setup.sh"

case "$version" in
  21) major=17 targets=(wasm32-wasi) flat_include=1 builtins=os version_file=0 ;;
  22) major=18 targets=(wasm32-wasi wasm32-wasip1) flat_include=0 builtins=os version_file=1 ;;
  23) major=18 targets=(wasm32-wasi wasm32-wasip1) flat_include=0 builtins=os version_file=0 ;;
  24) major=18 targets=(wasm32-wasi wasm32-wasip1) flat_include=0 builtins=os version_file=0 ;;
  25) major=19 targets=(wasm32-wasi wasm32-wasip1) flat_include=0 builtins=os version_file=1 ;;
  later) major=20 targets=(wasm32-wasip1) flat_include=0 builtins=target version_file=1 ;;
  *) die "no wasi-sdk $version layout (21 22 23 24 25 later)" ;;
esac

rm -rf "$sdk"
mkdir -p "$sdk/bin" "$sdk/lib/clang/$major/lib" "$sdk/share/wasi-sysroot/lib" \
         "$sdk/share/cmake/Platform"
sdk="$(cd "$sdk" && pwd)"

# The compiler: Debian's clang-19 with this layout's resource directory and sysroot (a
# --sysroot given on the command line comes later and wins, as over a real one's default).
for driver in clang clang++ "clang-$major"; do
  debian=/usr/bin/clang-19
  [[ "$driver" == clang++ ]] && debian=/usr/bin/clang++-19
  printf '#!/bin/sh\nexec %s -resource-dir="$(dirname "$0")/../lib/clang/%s" --sysroot="$(dirname "$0")/../share/wasi-sysroot" "$@"\n' \
    "$debian" "$major" >"$sdk/bin/$driver"
  chmod +x "$sdk/bin/$driver"
done
ln -sn /usr/bin/wasm-ld-19 "$sdk/bin/wasm-ld"
for tool in llvm-ar llvm-nm llvm-ranlib llvm-strip llvm-objdump; do
  ln -sn "$llvm/bin/$tool" "$sdk/bin/$tool"
  ln -sn "$tool" "$sdk/bin/${tool#llvm-}"  # the binutils names (LLVM_INSTALL_BINUTILS_SYMLINKS)
done

# The resource directory: Debian's headers, the builtins where and as the release names them.
ln -sn "$debian_resource/include" "$sdk/lib/clang/$major/include"
debian_builtins="$debian_resource/lib/wasi/libclang_rt.builtins-wasm32.a"
[[ -f "$debian_builtins" ]] || die "no $debian_builtins: install libclang-rt-19-dev-wasm32"
if [[ "$builtins" == os ]]; then
  os_dirs=(wasi wasip1 wasip2)
  [[ "$version" == 21 ]] && os_dirs=(wasi)
  for os in "${os_dirs[@]}"; do
    mkdir -p "$sdk/lib/clang/$major/lib/$os"
    ln -sn "$debian_builtins" "$sdk/lib/clang/$major/lib/$os/libclang_rt.builtins-wasm32.a"
  done
else
  for target in "${targets[@]}"; do
    dir="$sdk/lib/clang/$major/lib/${target/wasm32-/wasm32-unknown-}"
    mkdir -p "$dir"
    ln -sn "$debian_builtins" "$dir/libclang_rt.builtins.a"
  done
fi

# The sysroot: wasi-libc's headers and libc++'s in one tree, their libraries in another. Every
# link is made with -n, so that nothing is ever written through one into Debian's directories.
link_all() {  # link_all FROM_DIR TO_DIR: a symlink in TO_DIR for each entry of FROM_DIR
  mkdir -p "$2"
  for entry in "$1"/*; do
    [[ -e "$2/$(basename "$entry")" ]] || ln -sn "$entry" "$2/$(basename "$entry")"
  done
}
sysroot="$sdk/share/wasi-sysroot"
# (Debian's /usr/include/wasm32-wasi/c++/v1 is libc++'s headers: linking every entry brings them.)
[[ -d /usr/include/wasm32-wasi/c++/v1 ]] || die "no libc++ headers: install libc++-19-dev-wasm32"
if [[ "$flat_include" == 1 ]]; then
  link_all /usr/include/wasm32-wasi "$sysroot/include"
else
  mkdir -p "$sysroot/include/c++/v1"  # empty: clang++ wants it to exist (wasi-sdk's Makefile)
  for target in "${targets[@]}"; do
    link_all /usr/include/wasm32-wasi "$sysroot/include/$target"
  done
fi
for target in "${targets[@]}"; do
  link_all /usr/lib/wasm32-wasi "$sysroot/lib/$target"
  link_all "$llvm/lib/wasm32-wasi" "$sysroot/lib/$target"  # libc++, libc++abi
done

# The CMake toolchain file as wasi-sdk 21-25 install it (WebAssembly/wasi-sdk wasi-sdk.cmake:
# no CMAKE_SYSROOT, clang's default sysroot serves), and the WASI platform file it loads.
cat >"$sdk/share/cmake/wasi-sdk.cmake" <<CMAKE
# Cmake toolchain description file for the Makefile

# Until Platform/WASI.cmake is upstream we need to inject the path to it
# into CMAKE_MODULE_PATH.
list(APPEND CMAKE_MODULE_PATH "\${CMAKE_CURRENT_LIST_DIR}")

set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(triple ${targets[0]})

if(WIN32)
	set(WASI_HOST_EXE_SUFFIX ".exe")
else()
	set(WASI_HOST_EXE_SUFFIX "")
endif()

# When building from source, WASI_SDK_PREFIX represents the generated directory
if(NOT WASI_SDK_PREFIX)
    set(WASI_SDK_PREFIX \${CMAKE_CURRENT_LIST_DIR}/../../)
endif()

set(CMAKE_C_COMPILER \${WASI_SDK_PREFIX}/bin/clang\${WASI_HOST_EXE_SUFFIX})
set(CMAKE_CXX_COMPILER \${WASI_SDK_PREFIX}/bin/clang++\${WASI_HOST_EXE_SUFFIX})
set(CMAKE_ASM_COMPILER \${WASI_SDK_PREFIX}/bin/clang\${WASI_HOST_EXE_SUFFIX})
set(CMAKE_AR \${WASI_SDK_PREFIX}/bin/llvm-ar\${WASI_HOST_EXE_SUFFIX})
set(CMAKE_RANLIB \${WASI_SDK_PREFIX}/bin/llvm-ranlib\${WASI_HOST_EXE_SUFFIX})
set(CMAKE_C_COMPILER_TARGET \${triple})
set(CMAKE_CXX_COMPILER_TARGET \${triple})
set(CMAKE_ASM_COMPILER_TARGET \${triple})

# Don't look in the sysroot for executables to run during the build
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# Only look in the sysroot (not in the host paths) for the rest
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
CMAKE
printf 'set(WASI 1)\n' >"$sdk/share/cmake/Platform/WASI.cmake"
if [[ "$version_file" == 1 ]]; then  # in version.py's format
  printf '%s.0\nwasi-libc: debian\nllvm: debian\nllvm-version: 19 (Debian clang-19)\nconfig: none\n' \
    "$version" >"$sdk/VERSION"
fi
echo "tools/wasi_sdk_layout.sh: $sdk laid out as wasi-sdk $version (lib/clang/$major," \
     "targets ${targets[*]}, builtins by $builtins)"
