# What the CMake build needs besides a compiler: RapidJSON (headers, wasm and native), and in a
# native configure GoogleTest and the wasm2c runtime's sources. Each can be pointed elsewhere:
#   -DCOPROXY_RAPIDJSON_INCLUDE_DIR=<dir holding rapidjson/document.h>
#   -DGTest_DIR=<dir of GTestConfig.cmake> (or CMAKE_PREFIX_PATH; or a GTest::gtest target of
#    your own, e.g. from FetchContent, declared before coproxy)
#   -DCOPROXY_WASM2C_RUNTIME_DIR=<dir holding wasm-rt-impl.c> (wabt 1.0.32's wasm2c/)
include_guard(GLOBAL)

# ---- RapidJSON: found on the host (it is header-only: the same headers serve wasm32) ----
find_path(COPROXY_RAPIDJSON_INCLUDE_DIR rapidjson/document.h
          HINTS /usr/include /usr/local/include /opt/homebrew/include
          NO_CMAKE_FIND_ROOT_PATH)
if(NOT COPROXY_RAPIDJSON_INCLUDE_DIR)
  message(FATAL_ERROR "coproxy: RapidJSON not found (Debian/Ubuntu: apt install rapidjson-dev; "
    "Fedora: dnf install rapidjson-devel; macOS: brew install rapidjson), or pass "
    "-DCOPROXY_RAPIDJSON_INCLUDE_DIR=<dir with rapidjson/document.h>")
endif()

# RapidJSON 1.1.0 (the last release; Debian's, Fedora's) with the two fixes Bazel applies
# (bazel/repositories.bzl RAPIDJSON_FIXES, both in RapidJSON's master since): a copy assignment
# without a return, and pointer arithmetic past the end of its stack. A newer RapidJSON without
# the old text is used as it is.
#
# coproxy_mirror_headers(<include dir> <subdir> <mirror> [EXCEPT file...]): <include dir>/<subdir>
# copied to <mirror>/<subdir>, so that only <mirror> goes on a wasm32 include path, never the
# rest of the host's /usr/include (Bazel mirrors them the same way: bazel/repositories.bzl).
function(coproxy_mirror_headers include_dir subdir mirror)
  cmake_parse_arguments(PARSE_ARGV 3 ARG "" "" "EXCEPT")
  file(GLOB_RECURSE headers RELATIVE ${include_dir}/${subdir} ${include_dir}/${subdir}/*)
  if(ARG_EXCEPT)
    list(REMOVE_ITEM headers ${ARG_EXCEPT})
  endif()
  foreach(header IN LISTS headers)
    configure_file(${include_dir}/${subdir}/${header} ${mirror}/${subdir}/${header} COPYONLY)
  endforeach()
endfunction()
set(_coproxy_rapidjson ${CMAKE_BINARY_DIR}/coproxy_rapidjson/include)
coproxy_mirror_headers(${COPROXY_RAPIDJSON_INCLUDE_DIR} rapidjson ${_coproxy_rapidjson}
                       EXCEPT document.h internal/stack.h)  # fixed below
# The copy of `file` with `old` replaced by `new` (and `old2` by `new2`), written only when
# that changes it: a reconfigure must not make every JSON user recompile. Named arguments:
# the texts hold ';'.
function(_coproxy_fix_rapidjson file old new old2 new2)
  file(READ "${COPROXY_RAPIDJSON_INCLUDE_DIR}/rapidjson/${file}" text)
  string(REPLACE "${old}" "${new}" text "${text}")
  if(NOT old2 STREQUAL "")
    string(REPLACE "${old2}" "${new2}" text "${text}")
  endif()
  set(copy "${_coproxy_rapidjson}/rapidjson/${file}")
  set(current "")
  if(EXISTS "${copy}")
    file(READ "${copy}" current)
  endif()
  if(NOT current STREQUAL text)
    file(WRITE "${copy}" "${text}")
  endif()
endfunction()
_coproxy_fix_rapidjson(document.h
  "GenericStringRef& operator=(const GenericStringRef& rhs) { s = rhs.s; length = rhs.length; }"
  "GenericStringRef& operator=(const GenericStringRef& rhs) = delete;" "" "")
_coproxy_fix_rapidjson(internal/stack.h
  "if (RAPIDJSON_UNLIKELY(stackTop_ + sizeof(T) * count > stackEnd_))"
  "if (RAPIDJSON_UNLIKELY(static_cast<std::ptrdiff_t>(sizeof(T) * count) > (stackEnd_ - stackTop_)))"
  "RAPIDJSON_ASSERT(stackTop_ + sizeof(T) * count <= stackEnd_);"
  "RAPIDJSON_ASSERT(static_cast<std::ptrdiff_t>(sizeof(T) * count) <= (stackEnd_ - stackTop_));")
add_library(coproxy_rapidjson INTERFACE)
target_include_directories(coproxy_rapidjson SYSTEM INTERFACE
                           $<BUILD_INTERFACE:${_coproxy_rapidjson}>)

if(COPROXY_WASM)
  return()
endif()

# ---- Native only: GoogleTest (the tests, PluginTest) and the wasm2c runtime ----
if(NOT TARGET GTest::gtest)
  find_package(GTest CONFIG)
  if(NOT GTest_FOUND)
    find_package(GTest MODULE)
  endif()
  if(NOT TARGET GTest::gtest)
    message(FATAL_ERROR "coproxy: GoogleTest not found (Debian/Ubuntu: apt install "
      "libgtest-dev libgmock-dev; Fedora: dnf install gtest-devel gmock-devel; macOS: brew "
      "install googletest), or pass -DGTest_DIR=<dir of GTestConfig.cmake>")
  endif()
  # Imported targets are seen only in this directory and below; a plugin project that adds
  # coproxy by add_subdirectory links its own tests with them too.
  foreach(target IN ITEMS GTest::gtest GTest::gtest_main GTest::gmock GTest::gmock_main)
    if(TARGET ${target})
      get_target_property(imported ${target} IMPORTED)
      get_target_property(global ${target} IMPORTED_GLOBAL)
      if(imported AND NOT global)
        set_target_properties(${target} PROPERTIES IMPORTED_GLOBAL TRUE)
      endif()
    endif()
  endforeach()
endif()

find_path(COPROXY_WASM2C_RUNTIME_DIR wasm-rt-impl.c
          HINTS /usr/src/wasm2c /usr/share/wabt/wasm2c /usr/local/share/wabt/wasm2c
                /opt/homebrew/share/wabt/wasm2c)
if(NOT COPROXY_WASM2C_RUNTIME_DIR)
  message(FATAL_ERROR "coproxy: the wasm2c runtime (wasm-rt-impl.c) not found: install wabt "
    "1.0.32 (apt install wabt), or pass -DCOPROXY_WASM2C_RUNTIME_DIR=<dir with wasm-rt-impl.c>")
endif()
