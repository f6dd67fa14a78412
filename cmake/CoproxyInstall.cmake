# `cmake --install`: coproxy as a package for find_package(coproxy) (templates/plugin-cmake/).
#
# A plugin project is configured for wasm32 and natively (cmake/CoproxyPlugin.cmake), so the
# package holds both: install a wasm32 configure and a native one to the same prefix.
#
#   <prefix>/include/coproxy/           the SDK's headers ("coproxy/coproxy.h")
#   <prefix>/include/coproxy/sdk/       "coro/..." and "testing/..." (kept out of include/'s top)
#   <prefix>/include/coproxy/wasm_rt/   the wasm2c runtime's headers (native)
#   <prefix>/lib/wasm32-wasi/           libcoproxy.a for wasm32
#   <prefix>/lib/                       libcoproxy.a, the emulator and test support (native)
#   <prefix>/share/coproxy/cmake/       coproxyConfig.cmake, the functions, toolchains/, and
#                                       coproxy-{wasm32,native}-targets.cmake
#   <prefix>/share/coproxy/{testing,tests,tools}/  the scripts the functions' tests run
#
# coproxyConfig.cmake loads the targets of the consumer's own mode, and says which install is
# missing when that one is not there.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_coproxy_share ${CMAKE_INSTALL_DATADIR}/coproxy)
set(_coproxy_cmake ${_coproxy_share}/cmake)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/coproxy
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/coro
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/coproxy/sdk FILES_MATCHING PATTERN "*.h")

if(COPROXY_WASM)
  set(_coproxy_mode wasm32)
  install(TARGETS coproxy EXPORT coproxy-wasm32-targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}/wasm32-wasi)
else()
  set(_coproxy_mode native)
  install(TARGETS coproxy coproxy_emulator coproxy_wasm_rt coproxy_wasm_backend
                  coproxy_plugin_test coproxy_scenario coproxy_scenario_main
                  coproxy_allocation_counter coproxy_wasi_stdio_refused
          EXPORT coproxy-native-targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          OBJECTS DESTINATION ${CMAKE_INSTALL_LIBDIR}/coproxy-objects)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/testing
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/coproxy/sdk
          FILES_MATCHING PATTERN "*.h" PATTERN "wasm2c_glue.inc")
  install(FILES ${COPROXY_WASM2C_RUNTIME_DIR}/wasm-rt.h ${COPROXY_WASM2C_RUNTIME_DIR}/wasm-rt-impl.h
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/coproxy/wasm_rt)
endif()
install(EXPORT coproxy-${_coproxy_mode}-targets NAMESPACE coproxy::
        DESTINATION ${_coproxy_cmake})

# The version is the SDK's (include/coproxy/version.h); 0.x: only the same minor version is
# compatible. ARCH_INDEPENDENT: one package serves wasm32 (4-byte pointers) and native.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/coproxyConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/coproxyConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/coproxyConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/CoproxyPlugin.cmake
              ${PROJECT_SOURCE_DIR}/cmake/CoproxyImage.cmake
        DESTINATION ${_coproxy_cmake})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/cmake/toolchains DESTINATION ${_coproxy_cmake})
install(PROGRAMS ${PROJECT_SOURCE_DIR}/testing/fault_sweep_test.sh
                 ${PROJECT_SOURCE_DIR}/testing/scenario_test.sh
        DESTINATION ${_coproxy_share}/testing)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/tests/wasm_module_test.sh
        DESTINATION ${_coproxy_share}/tests)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/tools/wasm_oci_image.py
        DESTINATION ${_coproxy_share}/tools)
