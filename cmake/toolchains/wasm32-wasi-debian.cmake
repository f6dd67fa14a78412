# CMake toolchain file: wasm32-wasi plugins with Debian's (or Ubuntu's) clang-19 and its wasm32
# packages (clang-19 lld-19 llvm-19 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32
# libclang-rt-19-dev-wasm32) instead of a wasi-sdk. The same compiler, paths and flags as
# Bazel's default wasm toolchain (bazel/repositories.bzl _debian_config), so both builds give
# the same bytes.
#
#   cmake -S . -B build-wasm -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/wasm32-wasi-debian.cmake
#
# With a wasi-sdk, use its own file instead: $WASI_SDK_PATH/share/cmake/wasi-sdk.cmake.

list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")  # Platform/WASI.cmake

set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)

set(_coproxy_llvm /usr/lib/llvm-19)
foreach(_file IN ITEMS /usr/bin/clang-19 /usr/bin/clang++-19 /usr/bin/llvm-ar-19
                       /usr/bin/wasm-ld-19 /usr/include/wasm32-wasi/stdlib.h
                       ${_coproxy_llvm}/include/wasm32-wasi/c++/v1/vector
                       ${_coproxy_llvm}/lib/wasm32-wasi/libc++.a)
  if(NOT EXISTS "${_file}")
    message(FATAL_ERROR "coproxy: ${_file} is missing: this toolchain file needs Debian's "
      "clang-19 wasm32 packages (tools/setup.sh installs them), or use a wasi-sdk's: "
      "-DCMAKE_TOOLCHAIN_FILE=$WASI_SDK_PATH/share/cmake/wasi-sdk.cmake")
  endif()
endforeach()

set(CMAKE_C_COMPILER /usr/bin/clang-19)
set(CMAKE_CXX_COMPILER /usr/bin/clang++-19)
set(CMAKE_AR /usr/bin/llvm-ar-19)
set(CMAKE_RANLIB ${_coproxy_llvm}/bin/llvm-ranlib)
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
set(CMAKE_CXX_COMPILER_TARGET wasm32-wasi)

# Debian's wasm32 headers and libraries are not under one sysroot: name each directory, as
# Bazel's toolchain does (-nostdinc keeps the host's /usr/include out).
set(_coproxy_includes "-nostdinc -isystem ${_coproxy_llvm}/include/wasm32-wasi/c++/v1 \
-isystem ${_coproxy_llvm}/lib/clang/19/include -isystem /usr/include/wasm32-wasi")
set(CMAKE_C_FLAGS_INIT "${_coproxy_includes}")
set(CMAKE_CXX_FLAGS_INIT "${_coproxy_includes}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-L${_coproxy_llvm}/lib/wasm32-wasi -L/usr/lib/wasm32-wasi")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
