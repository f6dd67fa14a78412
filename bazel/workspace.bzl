"""coproxy_repositories(): every external repository coproxy needs, for coproxy's own WORKSPACE
and for a plugin's workspace that depends on coproxy (templates/plugin):

    local_repository(name = "coproxy", path = "/path/to/coproxy")
    load("@coproxy//bazel:workspace.bzl", "coproxy_repositories")
    coproxy_repositories()
    register_toolchains("@coproxy//bazel/toolchains/wasm:wasm32_wasi_toolchain")

Every repository comes from a Debian package (tools/setup.sh installs them); build with
--experimental_repository_disable_download so that anything not declared here fails loudly
instead of reaching the network.
"""

load(
    ":repositories.bzl",
    "coverage_tools_stub",
    "debian_absl",
    "RAPIDJSON_FIXES",
    "header_library",
    "patched_rules_cc",
    "wasm_toolchain_repository",
    "wasm_tools",
)

def coproxy_repositories():
    # Bazel rule sets packaged by Debian. Debian's @platforms (unlike Bazel's embedded
    # copy) has @platforms//cpu:wasm32 and @platforms//os:wasi.
    native.local_repository(
        name = "bazel_skylib",
        path = "/usr/share/bazel/tools/skylib",
    )
    native.local_repository(
        name = "platforms",
        path = "/usr/share/bazel/tools/platforms",
    )

    # Needed even for pure C++ (@rules_java//java is referenced by @bazel_tools).
    native.local_repository(
        name = "rules_java",
        path = "/usr/share/bazel/rules/java",
    )

    # /usr/share/bazel/rules/cc, symlinked file by file, with the two files that call
    # use_cpp_toolchain() (unknown to Bazel 4.2.3) patched on the fly.
    patched_rules_cc(name = "rules_cc")

    # cc_test/sh_test reference @remote_coverage_tools even without coverage. Stub.
    coverage_tools_stub(name = "remote_coverage_tools")

    # GoogleTest (gtest + gmock) compiled from Debian's sources.
    native.new_local_repository(
        name = "com_google_googletest",
        build_file = str(Label("//bazel/third_party:googletest.BUILD")),
        path = "/usr/src/googletest",
    )

    # abseil: Debian's prebuilt headers + shared libraries (native only).
    debian_absl(name = "com_google_absl")

    # RapidJSON (header-only), behind coproxy/json.h: wasm and native.
    header_library(
        name = "com_github_tencent_rapidjson",
        path = "/usr/include/rapidjson",
        target = "rapidjson",
        probe = "document.h",
        what = "RapidJSON headers",
        package = "rapidjson-dev",
        replacements = RAPIDJSON_FIXES,
    )

    # nlohmann-json (header-only), for bench/ only: the JSON library comparison.
    header_library(
        name = "com_github_nlohmann_json",
        path = "/usr/include/nlohmann",
        target = "json",
        probe = "json.hpp",
        what = "nlohmann-json headers",
        package = "nlohmann-json3-dev",
    )

    # wasm-opt, wasm2c, wasm-objdump, wasm-validate and the wasm2c runtime.
    wasm_tools(name = "wasm_tools")

    # Tool and include paths for the wasm32-wasi toolchain: Debian clang-19, or a wasi-sdk
    # when WASI_SDK_PATH is set in the environment.
    wasm_toolchain_repository(name = "coproxy_wasm_toolchain")
