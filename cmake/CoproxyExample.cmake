# coproxy_example() and the deploy functions: bazel/example.bzl and bazel/deploy.bzl for CMake.
#
# Tests of the module and its deployment (module, envoy.yaml, deploy) belong to the wasm32
# configure, where the .wasm is; tests that run code to the native one. The native ctest runs
# both (coproxy_add_wasm_build()).
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/CoproxyImage.cmake)

# coproxy_gtest(<name> SRCS ... DEPS ...) (native): a GoogleTest binary and its test.
function(coproxy_gtest name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SRCS;DEPS")
  if(COPROXY_WASM)
    return()
  endif()
  add_executable(${name} ${ARG_SRCS})
  set_target_properties(${name} PROPERTIES
                        CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
  target_compile_options(${name} PRIVATE ${COPROXY_STRICT_OPTIONS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main)
  coproxy_add_test(${name} COMMAND ${name})
endfunction()

# envoy_config_test(<name> CONFIG <envoy.yaml> PLUGIN <p> [KIND http|network|bootstrap]
#                   [UPSTREAMS ...] [README <file>]) (wasm32 configure): the configuration
# loads <p>.wasm, defines each upstream's cluster, and its ports are its listeners'.
function(envoy_config_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "CONFIG;PLUGIN;KIND;README" "UPSTREAMS")
  if(NOT COPROXY_WASM)
    return()
  endif()
  coproxy_find_tool(COPROXY_PYTHON3 python3 "install python3 and python3-yaml")
  if(NOT ARG_KIND)
    set(ARG_KIND http)
  endif()
  if(NOT DEFINED ARG_README AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/README.md)
    set(ARG_README README.md)
  endif()
  set(readme "")
  if(ARG_README)
    set(readme --readme ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_README})
  endif()
  coproxy_add_test(${name}
    COMMAND ${COPROXY_PYTHON3} ${COPROXY_DATA_DIR}/tools/check_envoy_config.py
            ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_CONFIG} ${ARG_PLUGIN}.wasm ${ARG_KIND}
            ${ARG_UPSTREAMS} ${readme})
endfunction()

# coproxy_deploy(<name> PLUGINS p... [ENVOY_CONFIG f] [WASMPLUGIN f]) (wasm32 configure): an
# image per plugin, <name>/envoy.yaml and <name>/wasmplugin.yaml with their sha256s filled in,
# and <name>_test (the WasmPlugin against Istio's schema, every sha256 right).
function(coproxy_deploy name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "ENVOY_CONFIG;WASMPLUGIN" "PLUGINS")
  if(NOT COPROXY_WASM)
    return()
  endif()
  if(NOT ARG_ENVOY_CONFIG)
    set(ARG_ENVOY_CONFIG envoy.yaml)
  endif()
  if(NOT ARG_WASMPLUGIN)
    set(ARG_WASMPLUGIN wasmplugin.yaml)
  endif()
  set(src ${CMAKE_CURRENT_SOURCE_DIR})
  set(bin ${CMAKE_CURRENT_BINARY_DIR})
  set(images "")
  set(modules "")
  set(depends "")
  foreach(plugin IN LISTS ARG_PLUGINS)
    coproxy_oci_image(${plugin}_image PLUGIN ${plugin})
    list(APPEND images --image ${bin}/${plugin}.wasm ${bin}/${plugin}_image.digest)
    list(APPEND modules --module ${bin}/${plugin}.wasm ${bin}/${plugin}_image
                        ${bin}/${plugin}_image.tar ${bin}/${plugin}_image.digest)
    list(APPEND depends ${bin}/${plugin}_image.digest)
  endforeach()
  set(deployed ${bin}/${name}/${ARG_ENVOY_CONFIG} ${bin}/${name}/${ARG_WASMPLUGIN})
  add_custom_command(
    OUTPUT ${deployed}
    COMMAND ${COPROXY_PYTHON3} ${COPROXY_DATA_DIR}/tools/fill_sha256.py ${images}
            --fill ${src}/${ARG_ENVOY_CONFIG} ${bin}/${name}/${ARG_ENVOY_CONFIG}
            --fill ${src}/${ARG_WASMPLUGIN} ${bin}/${name}/${ARG_WASMPLUGIN}
    DEPENDS ${depends} ${src}/${ARG_ENVOY_CONFIG} ${src}/${ARG_WASMPLUGIN}
            ${COPROXY_DATA_DIR}/tools/fill_sha256.py
    COMMENT "Filling in the sha256s of ${name}/${ARG_ENVOY_CONFIG} and ${ARG_WASMPLUGIN}"
    VERBATIM)
  file(RELATIVE_PATH package "${CMAKE_SOURCE_DIR}" "${src}")
  string(REPLACE "/" "_" target "${package}_${name}")
  add_custom_target(${target} ALL DEPENDS ${deployed})
  coproxy_add_test(${name}_test
    COMMAND ${COPROXY_PYTHON3} ${COPROXY_DATA_DIR}/tools/check_wasmplugin.py
            --sources ${src}/${ARG_ENVOY_CONFIG} ${src}/${ARG_WASMPLUGIN}
            --deployed ${deployed} ${modules})
endfunction()

# coproxy_example(<name> [UPSTREAMS ...] [NETWORK] [MAX_BYTES n] [SRCS ...] [DEPS ...]
#                 [TEST_DEPS ...] [ENVOY_CONFIG f] [MORE_PLUGINS ...]): one example plugin
# with everything an example has (examples/README.md): the .wasm, <name>_test on both
# backends, _module_test, _fault_sweep_test, _envoy_test, deploy and deploy_test.
function(coproxy_example name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NETWORK" "MAX_BYTES;ENVOY_CONFIG"
                        "UPSTREAMS;SRCS;DEPS;TEST_DEPS;MORE_PLUGINS")
  if(NOT ARG_SRCS)
    set(ARG_SRCS ${name}.cc)
  endif()
  if(NOT ARG_MAX_BYTES)
    set(ARG_MAX_BYTES 24576)
  endif()
  if(NOT ARG_ENVOY_CONFIG)
    set(ARG_ENVOY_CONFIG envoy.yaml)
  endif()
  coproxy_plugin(${name} SRCS ${ARG_SRCS} DEPS ${ARG_DEPS} COPTS ${COPROXY_STRICT_OPTIONS})
  coproxy_module_test(${name}_module_test PLUGIN ${name} MAX_BYTES ${ARG_MAX_BYTES})
  coproxy_gtest(${name}_test SRCS ${name}_test.cc
                DEPS ${name}_native ${name}_wasm2c coproxy::plugin_test ${ARG_TEST_DEPS})
  coproxy_fault_sweep_test(${name}_fault_sweep_test TEST ${name}_test)
  set(kind http)
  if(ARG_NETWORK)
    set(kind network)
  endif()
  envoy_config_test(${name}_envoy_test CONFIG ${ARG_ENVOY_CONFIG} PLUGIN ${name} KIND ${kind}
                    UPSTREAMS ${ARG_UPSTREAMS})
  coproxy_deploy(deploy PLUGINS ${name} ${ARG_MORE_PLUGINS} ENVOY_CONFIG ${ARG_ENVOY_CONFIG})
endfunction()

# coproxy_example_plugins(<var>): every example plugin, as "<package>;<name>" pairs flattened
# into <var> (examples/hello;hello;...), read from examples/plugins.bzl: one list for both
# builds (the event fuzzer and the configuration test start each, the registry test pushes each).
function(coproxy_example_plugins var)
  file(STRINGS ${PROJECT_SOURCE_DIR}/examples/plugins.bzl labels
       REGEX "^ *\"//examples/[a-z_0-9]+:[a-z_0-9]+\",$")
  set(pairs "")
  foreach(label IN LISTS labels)
    string(REGEX REPLACE "^ *\"//(examples/[a-z_0-9]+):([a-z_0-9]+)\",$" "\\1;\\2" pair
           "${label}")
    list(APPEND pairs ${pair})
  endforeach()
  if(NOT pairs)
    message(FATAL_ERROR "coproxy_example_plugins: no plugin read from examples/plugins.bzl")
  endif()
  set(${var} ${pairs} PARENT_SCOPE)
endfunction()
