# coproxy's CMake functions: the same targets as bazel/plugin.bzl, for plugins built with CMake.
#
# A project is configured twice, from the same CMakeLists.txt:
#   - for wasm32-wasi (a wasi-sdk's share/cmake/wasi-sdk.cmake, or this repository's
#     cmake/toolchains/wasm32-wasi-debian.cmake as CMAKE_TOOLCHAIN_FILE): coproxy_plugin() makes
#     <name>.wasm, linked and optimized exactly as Bazel's coproxy_plugin does;
#   - natively (no toolchain file): coproxy_plugin() makes <name>_native (the plugin compiled for
#     the host, for tests against the emulator) and <name>_wasm2c (its real .wasm translated by
#     wasm2c). The .wasm comes from a wasm32 configure of the same project that the native one
#     runs as a sub-build (coproxy_add_wasm_build(), called once at the end of the top-level
#     CMakeLists.txt), so one `cmake --build` and one `ctest` cover both.
#
#   coproxy_plugin(my_filter SRCS my_filter.cc)
#   add_executable(my_filter_test my_filter_test.cc)
#   target_link_libraries(my_filter_test PRIVATE my_filter_native my_filter_wasm2c
#                         coproxy::plugin_test GTest::gtest_main)
#   add_test(NAME my_filter_test COMMAND my_filter_test)
#   coproxy_add_wasm_build()

include_guard(GLOBAL)

# What the functions below read is cached (INTERNAL): they are called from any directory, and
# this file is read once (include_guard), perhaps in a directory that is not the caller's (a
# coproxy checkout's, added by add_subdirectory).
#
# The scripts the tests below run (testing/, tests/, tools/), laid out as in coproxy's source
# tree: the checkout itself, or <prefix>/share/coproxy installed (cmake/CoproxyInstall.cmake).
get_filename_component(_coproxy_data_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(COPROXY_DATA_DIR "${_coproxy_data_dir}" CACHE INTERNAL "")

# ON in a wasm32-wasi configure (the toolchain file sets CMAKE_SYSTEM_NAME WASI).
if(CMAKE_SYSTEM_NAME STREQUAL "WASI")
  set(COPROXY_WASM ON CACHE INTERNAL "")
else()
  set(COPROXY_WASM OFF CACHE INTERNAL "")
endif()

# Flags every wasm32 compile gets (bazel/toolchains/wasm/cc_toolchain_config.bzl): a plugin is
# always a small, optimized module, whatever CMAKE_BUILD_TYPE says (these come after it).
set(COPROXY_WASM_COMPILE_OPTIONS
  -DCOPROXY_WASM=1 -DNDEBUG -Oz -flto -ffunction-sections -fdata-sections -fno-exceptions -mbulk-memory
  -Wno-builtin-macro-redefined "-D__DATE__=\"redacted\"" "-D__TIMESTAMP__=\"redacted\""
  "-D__TIME__=\"redacted\""
  $<$<COMPILE_LANGUAGE:CXX>:-fno-rtti> CACHE INTERNAL "")
set(COPROXY_WASM_LINK_OPTIONS
  -mexec-model=reactor -flto -Wl,--gc-sections -Wl,--strip-debug -Wl,-S CACHE INTERNAL "")

# Links `library` whole into `target` (wasm32): the SDK's exports are referenced by nothing
# (Bazel's alwayslink). Plain linker flags, not $<LINK_LIBRARY:WHOLE_ARCHIVE>: that needs CMake
# 3.24 and refuses a library also linked plainly (as through a DEPS library that links coproxy).
function(coproxy_link_whole target scope library)
  target_link_libraries(${target} ${scope} -Wl,--whole-archive ${library}
                        -Wl,--no-whole-archive)
endfunction()

# coproxy_add_test(<name> COMMAND ...): add_test; in coproxy's own build (COPROXY_BAZEL_TEST_NAMES)
# named as Bazel names it, //<directory>:<name>, so that `ctest -N` and
# `bazel query 'tests(//...)'` list the same names (tools/test_cmake.sh compares them).
function(coproxy_add_test name)
  if(COPROXY_BAZEL_TEST_NAMES)
    file(RELATIVE_PATH package "${CMAKE_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
    set(name "//${package}:${name}")
  endif()
  add_test(NAME "${name}" ${ARGN})
endfunction()

# coproxy_find_tool(<var> <program> <how to install>): the tool's path in <var> (cached; set it
# on the command line to use another), or a configure error that says how to get it.
function(coproxy_find_tool var program install)
  if(NOT ${var})
    unset(${var} CACHE)  # an empty entry would stop find_program from looking
    find_program(${var} NAMES ${program} NO_CMAKE_FIND_ROOT_PATH)
    if(NOT ${var})
      message(FATAL_ERROR "coproxy: ${program} not found: ${install}, or pass "
        "-D${var}=/path/to/${program}")
    endif()
  endif()
endfunction()

set(COPROXY_INSTALL_BINARYEN "install binaryen (Debian/Ubuntu: apt install binaryen; Fedora: dnf \
install binaryen; macOS: brew install binaryen)" CACHE INTERNAL "")
set(COPROXY_INSTALL_WABT "install wabt 1.0.32 (Debian 12: apt install wabt)" CACHE INTERNAL "")

# coproxy_plugin(<name> SRCS src... [DEPS lib...] [COPTS flag...] [WASM_LINKOPTS flag...]
#                [SPEED] [NO_SDK] [NO_WASM2C])
#   wasm32 configure: <name>_wasm_bin (as linked by wasm-ld) and <name> -> <name>.wasm
#                     (wasm-opt -Oz, or -O2 with SPEED; --strip-debug --strip-producers).
#   native configure: <name>_native (an object library: link it and the plugin is in) and,
#                     unless NO_WASM2C, <name>_wasm2c (the .wasm for the emulator's wasm
#                     backend: load_wasm("<name>")).
#   DEPS: libraries for both builds; COPTS: compile flags for both; WASM_LINKOPTS: wasm-ld
#   flags (e.g. -Wl,--max-memory=16777216); NO_SDK: without coproxy::coproxy.
function(coproxy_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "SPEED;NO_SDK;NO_WASM2C"
                        "" "SRCS;DEPS;COPTS;WASM_LINKOPTS")
  if(NOT ARG_SRCS)
    message(FATAL_ERROR "coproxy_plugin(${name}): SRCS is required")
  endif()
  set(sdk coproxy::coproxy)
  if(ARG_NO_SDK)
    set(sdk "")
  endif()

  if(COPROXY_WASM)
    coproxy_find_tool(COPROXY_WASM_OPT wasm-opt "${COPROXY_INSTALL_BINARYEN}")
    set(bin ${name}_wasm_bin)
    add_executable(${bin} ${ARG_SRCS})
    set_target_properties(${bin} PROPERTIES OUTPUT_NAME ${bin} SUFFIX ""
                          CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
    target_compile_options(${bin} PRIVATE ${COPROXY_WASM_COMPILE_OPTIONS} ${ARG_COPTS})
    target_link_options(${bin} PRIVATE ${COPROXY_WASM_LINK_OPTIONS})
    if(ARG_SPEED)  # Bazel's --features=wasm_speed: the last -O wins
      target_compile_options(${bin} PRIVATE -O2)
      target_link_options(${bin} PRIVATE -O2)
    endif()
    target_link_options(${bin} PRIVATE ${ARG_WASM_LINKOPTS})
    target_link_libraries(${bin} PRIVATE ${ARG_DEPS})
    if(sdk)
      coproxy_link_whole(${bin} PRIVATE ${sdk})
    endif()

    set(level -Oz)
    if(ARG_SPEED)
      set(level -O2)
    endif()
    set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${COPROXY_WASM_OPT} $<TARGET_FILE:${bin}> ${level} --strip-debug
              --strip-producers -o ${out}
      DEPENDS ${bin}
      COMMENT "Optimizing ${name}.wasm"
      VERBATIM)
    add_custom_target(${name} ALL DEPENDS ${out})
    # What bench/'s modules with names are optimized with, to be this code (bench/CMakeLists.txt).
    set_target_properties(${name} PROPERTIES COPROXY_WASM_OPT_LEVEL ${level})
  else()
    add_library(${name}_native OBJECT ${ARG_SRCS})
    set_target_properties(${name}_native PROPERTIES
                          CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
    target_compile_options(${name}_native PRIVATE ${ARG_COPTS})
    target_link_libraries(${name}_native PUBLIC ${ARG_DEPS} ${sdk})
    if(NOT ARG_NO_WASM2C)
      coproxy_wasm2c_module(${name}_wasm2c WASM "${name}.wasm" MODULE_NAME ${name})
    endif()
  endif()
endfunction()

# coproxy_wasm2c_module(<name> WASM <file> [MODULE_NAME <m>] [COPTS ...] [WASI_STDIO])
# (native configure) `file` translated by wasm2c into an object library the emulator runs with
# load_wasm("<m>"). A relative `file` is the wasm32 sub-build's output for this directory (the
# .wasm a coproxy_plugin() of this directory makes there). WASI_STDIO: the module also imports
# WASI's fd_write, fd_seek and fd_close, which testing/wasi_stdio_refused.cc refuses.
function(coproxy_wasm2c_module name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "WASI_STDIO" "WASM;MODULE_NAME" "COPTS")
  if(NOT ARG_MODULE_NAME)
    set(ARG_MODULE_NAME ${name})
  endif()
  coproxy_find_tool(COPROXY_WASM2C wasm2c "${COPROXY_INSTALL_WABT}")
  set(wasm "${ARG_WASM}")
  if(NOT IS_ABSOLUTE "${wasm}")
    file(RELATIVE_PATH dir "${CMAKE_BINARY_DIR}" "${CMAKE_CURRENT_BINARY_DIR}")
    set(wasm "${COPROXY_WASM_BINARY_DIR}/${dir}/${wasm}")
    set_property(GLOBAL APPEND PROPERTY COPROXY_WASM_SUBBUILD_OUTPUTS "${wasm}")
  endif()
  set(c ${CMAKE_CURRENT_BINARY_DIR}/${name}.c)
  set(h ${CMAKE_CURRENT_BINARY_DIR}/${name}.h)
  add_custom_command(
    OUTPUT ${c} ${h}
    COMMAND ${COPROXY_WASM2C} ${wasm} -n ${ARG_MODULE_NAME} -o ${c}
    DEPENDS ${wasm}
    COMMENT "Translating ${ARG_MODULE_NAME}.wasm with wasm2c"
    VERBATIM)
  set(glue ${CMAKE_CURRENT_BINARY_DIR}/${name}_glue.cc)
  set(stdio "")
  if(ARG_WASI_STDIO)
    set(stdio "#define COPROXY_WASM2C_WASI_STDIO 1\n")
  endif()
  file(CONFIGURE OUTPUT ${glue} CONTENT
"// Generated by coproxy_wasm2c_module (cmake/CoproxyPlugin.cmake).
#include \"${name}.h\"
#define COPROXY_WASM2C_MODULE ${ARG_MODULE_NAME}
${stdio}#include \"testing/wasm2c_glue.inc\"
")
  add_library(${name} OBJECT ${c} ${glue})
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_BINARY_DIR})
  target_link_libraries(${name} PUBLIC coproxy::wasm_backend)
  if(ARG_WASI_STDIO)
    target_link_libraries(${name} PUBLIC coproxy::wasi_stdio_refused)
  endif()
  # Generated code: unused labels and variables are expected (Bazel: -w).
  set_source_files_properties(${c} PROPERTIES COMPILE_OPTIONS "-w;${ARG_COPTS}")
endfunction()

# coproxy_module_test(<name> PLUGIN <plugin> [MAX_BYTES n]): the plugin's .wasm is valid,
# exports every ABI function, imports only from env and is within MAX_BYTES. A test of the
# wasm32 configure, where the .wasm is (the native configure's ctest runs the sub-build's tests
# too); nothing in a native configure.
function(coproxy_module_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "PLUGIN;MAX_BYTES" "")
  if(NOT COPROXY_WASM)
    return()
  endif()
  set(wasm ${CMAKE_CURRENT_BINARY_DIR}/${ARG_PLUGIN}.wasm)
  coproxy_find_tool(COPROXY_WASM_OBJDUMP wasm-objdump "${COPROXY_INSTALL_WABT}")
  coproxy_find_tool(COPROXY_WASM_VALIDATE wasm-validate "${COPROXY_INSTALL_WABT}")
  coproxy_add_test(${name}
           COMMAND bash ${COPROXY_DATA_DIR}/tests/wasm_module_test.sh ${COPROXY_WASM_OBJDUMP}
                   ${COPROXY_WASM_VALIDATE} ${wasm} ${ARG_MAX_BYTES})
endfunction()

# coproxy_fault_sweep_test(<name> TEST <gtest target>) (native): the test again with each host
# call its plugin makes failing in turn (testing/fault_sweep.h).
function(coproxy_fault_sweep_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "TEST" "")
  if(COPROXY_WASM)
    return()
  endif()
  coproxy_add_test(${name}
           COMMAND bash ${COPROXY_DATA_DIR}/testing/fault_sweep_test.sh
                   $<TARGET_FILE:${ARG_TEST}>)
endfunction()

# coproxy_scenario(<name> PLUGIN <plugin> SCENARIO <file> [GOLDEN <trace>]) (native): a runner
# that plays `file` through the plugin and prints the trace; with GOLDEN, <name>_test checks
# both backends' traces against it.
function(coproxy_scenario name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "PLUGIN;SCENARIO;GOLDEN" "")
  if(COPROXY_WASM)
    return()
  endif()
  add_executable(${name})
  target_link_libraries(${name} PRIVATE coproxy::scenario_main ${ARG_PLUGIN}_native
                        ${ARG_PLUGIN}_wasm2c)
  if(ARG_GOLDEN)
    coproxy_add_test(${name}_test
             COMMAND bash ${COPROXY_DATA_DIR}/testing/scenario_test.sh $<TARGET_FILE:${name}>
                     ${ARG_PLUGIN} ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_SCENARIO}
                     ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_GOLDEN})
  endif()
endfunction()

# coproxy_add_wasm_build([CMAKE_ARGS -D...]) (native configure, once, at the end of the
# top-level CMakeLists.txt): configures and builds this same project for wasm32 in
# ${COPROXY_WASM_BINARY_DIR} with COPROXY_WASM_TOOLCHAIN_FILE, the source of every .wasm the
# native targets translate or test. CMAKE_ARGS: the project's own cache variables that the
# wasm32 configure needs too. Does nothing in a wasm32 configure.
function(coproxy_add_wasm_build)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "" "CMAKE_ARGS")
  if(COPROXY_WASM OR TARGET coproxy_wasm_build)
    return()
  endif()
  include(ExternalProject)
  get_property(outputs GLOBAL PROPERTY COPROXY_WASM_SUBBUILD_OUTPUTS)
  list(REMOVE_DUPLICATES outputs)
  if(NOT EXISTS "${COPROXY_WASM_TOOLCHAIN_FILE}")
    message(FATAL_ERROR "coproxy: the wasm32 sub-build needs a toolchain file, and "
      "COPROXY_WASM_TOOLCHAIN_FILE='${COPROXY_WASM_TOOLCHAIN_FILE}' is none: set WASI_SDK_PATH "
      "to a wasi-sdk (21 or newer), install Debian's clang-19 wasm32 packages "
      "(tools/setup.sh), or pass -DCOPROXY_WASM_TOOLCHAIN_FILE=<file>")
  endif()
  set(args
    -DCMAKE_TOOLCHAIN_FILE=${COPROXY_WASM_TOOLCHAIN_FILE}
    -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
    ${ARG_CMAKE_ARGS})
  # The tools, directories and package the user pointed this configure at serve the sub-build
  # too (coproxy_DIR: the installed coproxy that find_package(coproxy) found).
  foreach(var IN ITEMS COPROXY_WASM_OPT COPROXY_RAPIDJSON_INCLUDE_DIR COPROXY_PYTHON3
                       COPROXY_WASM_OBJDUMP COPROXY_WASM_VALIDATE coproxy_DIR)
    if(${var})
      list(APPEND args -D${var}=${${var}})
    endif()
  endforeach()
  ExternalProject_Add(coproxy_wasm_build
    SOURCE_DIR ${CMAKE_SOURCE_DIR}
    BINARY_DIR ${COPROXY_WASM_BINARY_DIR}
    CMAKE_ARGS ${args}
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    BUILD_BYPRODUCTS ${outputs}
    USES_TERMINAL_BUILD ON)
  # The .wasm files are the sub-build's byproducts, so every translation waits for it. Its
  # tests (the module tests) run in this ctest too.
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY TEST_INCLUDE_FILES
               ${CMAKE_BINARY_DIR}/coproxy_wasm_tests.cmake)
  file(WRITE ${CMAKE_BINARY_DIR}/coproxy_wasm_tests.cmake
"# Generated by coproxy_add_wasm_build(): the wasm32 sub-build's tests, run by this ctest.
if(EXISTS \"${COPROXY_WASM_BINARY_DIR}/CTestTestfile.cmake\")
  subdirs(\"${COPROXY_WASM_BINARY_DIR}\")
endif()
")
endfunction()

# Which toolchain file the wasm32 sub-build uses: -DCOPROXY_WASM_TOOLCHAIN_FILE=..., else the
# wasi-sdk at $WASI_SDK_PATH, else Debian's clang-19 packages (cmake/toolchains/).
if(NOT COPROXY_WASM)
  set(_coproxy_default_toolchain "")
  if(DEFINED ENV{WASI_SDK_PATH} AND NOT "$ENV{WASI_SDK_PATH}" STREQUAL "")
    set(_coproxy_default_toolchain "$ENV{WASI_SDK_PATH}/share/cmake/wasi-sdk.cmake")
  elseif(EXISTS "${CMAKE_CURRENT_LIST_DIR}/toolchains/wasm32-wasi-debian.cmake")
    set(_coproxy_default_toolchain "${CMAKE_CURRENT_LIST_DIR}/toolchains/wasm32-wasi-debian.cmake")
  endif()
  set(COPROXY_WASM_TOOLCHAIN_FILE "${_coproxy_default_toolchain}" CACHE FILEPATH
      "The CMake toolchain file of the wasm32 sub-build (a wasi-sdk's share/cmake/wasi-sdk.cmake)")
  set(COPROXY_WASM_BINARY_DIR "${CMAKE_BINARY_DIR}/wasm" CACHE PATH
      "Where the wasm32 sub-build goes")
endif()
