# The SDK (//:coproxy) and, natively, the host emulator and its test support (//testing).
include_guard(GLOBAL)

# ---- coproxy::coproxy: the plugin-side SDK, for wasm32 and natively ----
# Sources in Bazel's glob order (coro/ then src/, sorted): the archive's members, and so the
# order the linker sees them in, are the same as Bazel's.
file(GLOB _coproxy_sdk_sources CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/coro/*.cc ${PROJECT_SOURCE_DIR}/src/*.cc)
list(SORT _coproxy_sdk_sources)
add_library(coproxy STATIC ${_coproxy_sdk_sources})
add_library(coproxy::coproxy ALIAS coproxy)
set_target_properties(coproxy PROPERTIES
  CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF
  EXPORT_NAME coproxy)
target_include_directories(coproxy PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>  # "coro/coro.h"
  $<INSTALL_INTERFACE:include> $<INSTALL_INTERFACE:include/coproxy/sdk>)
target_link_libraries(coproxy PRIVATE $<BUILD_INTERFACE:coproxy_rapidjson>)
target_compile_options(coproxy PRIVATE ${COPROXY_STRICT_OPTIONS})
if(COPROXY_WASM)
  target_compile_options(coproxy PRIVATE ${COPROXY_WASM_COMPILE_OPTIONS})
  # The SDK's headers test COPROXY_WASM; a plugin's own sources get it from coproxy_plugin().
  return()
endif()

# ---- Native only: the emulator (layer 5) and what tests link ----
# The wasm2c runtime (wabt 1.0.32), with explicit bounds checks instead of guard pages and a
# SIGSEGV handler (as Bazel's @wasm_tools//:wasm_rt: works under AddressSanitizer).
add_library(coproxy_wasm_rt STATIC ${COPROXY_WASM2C_RUNTIME_DIR}/wasm-rt-impl.c)
set_target_properties(coproxy_wasm_rt PROPERTIES EXPORT_NAME wasm_rt)
target_include_directories(coproxy_wasm_rt SYSTEM PUBLIC
  $<BUILD_INTERFACE:${COPROXY_WASM2C_RUNTIME_DIR}> $<INSTALL_INTERFACE:include/coproxy/wasm_rt>)
target_compile_definitions(coproxy_wasm_rt PUBLIC WASM_RT_MEMCHECK_SIGNAL_HANDLER=0)
target_compile_options(coproxy_wasm_rt PRIVATE -Wno-unused-function)
target_link_libraries(coproxy_wasm_rt PUBLIC m)

set(_coproxy_testing ${PROJECT_SOURCE_DIR}/testing)

# A native testing library: `kind` STATIC or OBJECT (Bazel's alwayslink), "testing/..." headers.
function(_coproxy_testing_library name kind)
  add_library(coproxy_${name} ${kind} ${ARGN})
  add_library(coproxy::${name} ALIAS coproxy_${name})
  set_target_properties(coproxy_${name} PROPERTIES EXPORT_NAME ${name}
    CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
  target_include_directories(coproxy_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}> $<INSTALL_INTERFACE:include/coproxy/sdk>)
  target_compile_options(coproxy_${name} PRIVATE ${COPROXY_STRICT_OPTIONS})
endfunction()

_coproxy_testing_library(emulator STATIC
  ${_coproxy_testing}/emulator.cc ${_coproxy_testing}/host.cc
  ${_coproxy_testing}/native_imports.cc ${_coproxy_testing}/native_plugin.cc
  ${_coproxy_testing}/stream_attributes.cc ${_coproxy_testing}/trace.cc)
target_link_libraries(coproxy_emulator PUBLIC coproxy)
# Natively the SDK's host is the emulator: native_imports.cc defines the proxy_* functions the
# SDK calls. The two archives depend on each other; CMake repeats them on the link line.
target_link_libraries(coproxy INTERFACE coproxy_emulator)

_coproxy_testing_library(wasm_backend STATIC ${_coproxy_testing}/wasm_plugin.cc)
target_link_libraries(coproxy_wasm_backend PUBLIC coproxy_emulator coproxy_wasm_rt)

_coproxy_testing_library(plugin_test STATIC
  ${_coproxy_testing}/fault_sweep.cc ${_coproxy_testing}/plugin_test.cc)
target_link_libraries(coproxy_plugin_test PUBLIC coproxy_emulator coproxy_wasm_backend
                      GTest::gtest)

_coproxy_testing_library(scenario STATIC ${_coproxy_testing}/scenario.cc)
target_link_libraries(coproxy_scenario PUBLIC coproxy_emulator)

_coproxy_testing_library(scenario_main OBJECT ${_coproxy_testing}/scenario_main.cc)
target_link_libraries(coproxy_scenario_main PUBLIC coproxy_scenario coproxy_wasm_backend)

# Replaces the global operator new of the test binary that links it (plugin_allocations()).
_coproxy_testing_library(allocation_counter OBJECT ${_coproxy_testing}/allocation_counter.cc)
target_link_libraries(coproxy_allocation_counter PUBLIC coproxy_emulator)

_coproxy_testing_library(wasi_stdio_refused STATIC ${_coproxy_testing}/wasi_stdio_refused.cc)
