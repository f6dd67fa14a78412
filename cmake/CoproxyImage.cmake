# coproxy_oci_image(): bazel/deploy.bzl's coproxy_oci_image for CMake (docs/deploy.md).
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/CoproxyPlugin.cmake)

# coproxy_oci_image(<name> PLUGIN <p>) (wasm32 configure): <p>.wasm as a Wasm OCI image,
# compat variant, reproducible: <name>/ (an OCI image layout), <name>.tar, <name>.digest.
function(coproxy_oci_image name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "PLUGIN;TAG" "")
  if(NOT COPROXY_WASM)
    return()
  endif()
  coproxy_find_tool(COPROXY_PYTHON3 python3 "install python3 and python3-yaml")
  if(NOT ARG_TAG)
    set(ARG_TAG latest)
  endif()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name})
  add_custom_command(
    OUTPUT ${out}.tar ${out}.digest
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${out}
    COMMAND ${COPROXY_PYTHON3} ${COPROXY_DATA_DIR}/tools/wasm_oci_image.py
            --wasm ${CMAKE_CURRENT_BINARY_DIR}/${ARG_PLUGIN}.wasm --layout ${out}
            --archive ${out}.tar --digest ${out}.digest --tag ${ARG_TAG}
    DEPENDS ${ARG_PLUGIN} ${CMAKE_CURRENT_BINARY_DIR}/${ARG_PLUGIN}.wasm
            ${COPROXY_DATA_DIR}/tools/wasm_oci_image.py
    COMMENT "Packing ${ARG_PLUGIN}.wasm as a Wasm OCI image"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${out}.tar ${out}.digest)
endfunction()
