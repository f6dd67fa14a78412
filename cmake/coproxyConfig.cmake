# find_package(coproxy): an installed coproxy (cmake/CoproxyInstall.cmake says what is where).
#
# Gives the targets of this configure's mode (coproxy::coproxy, and natively coproxy::emulator,
# coproxy::plugin_test, coproxy::wasm_backend, coproxy::scenario_main, ...) and the functions
# of cmake/CoproxyPlugin.cmake and cmake/CoproxyImage.cmake: coproxy_plugin(),
# coproxy_module_test(), coproxy_fault_sweep_test(), coproxy_scenario(), coproxy_oci_image(),
# coproxy_add_wasm_build().
if(TARGET coproxy::coproxy)
  return()
endif()

if(CMAKE_SYSTEM_NAME STREQUAL "WASI")
  set(_coproxy_mode wasm32)
else()
  set(_coproxy_mode native)
endif()
if(NOT EXISTS "${CMAKE_CURRENT_LIST_DIR}/coproxy-${_coproxy_mode}-targets.cmake")
  set(coproxy_FOUND FALSE)
  string(CONCAT coproxy_NOT_FOUND_MESSAGE "coproxy in ${CMAKE_CURRENT_LIST_DIR} has no ${_coproxy_mode} "
    "build installed: a plugin project needs both. Install coproxy's ${_coproxy_mode} configure "
    "to the same prefix (docs/build.md, \"Installing coproxy\").")
  return()
endif()

if(_coproxy_mode STREQUAL "native" AND NOT TARGET GTest::gtest)
  include(CMakeFindDependencyMacro)
  find_dependency(GTest)  # coproxy::plugin_test is a GoogleTest fixture
endif()
include("${CMAKE_CURRENT_LIST_DIR}/coproxy-${_coproxy_mode}-targets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/CoproxyPlugin.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/CoproxyImage.cmake")
