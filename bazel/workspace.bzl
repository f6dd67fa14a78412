"""coproxy_repositories(): every external repository coproxy needs, for coproxy's own WORKSPACE
and for a plugin's workspace that depends on coproxy (templates/plugin):

    local_repository(name = "coproxy", path = "/path/to/coproxy")
    load("@coproxy//bazel:workspace.bzl", "coproxy_repositories")
    coproxy_repositories()
    register_toolchains("@coproxy//bazel/toolchains/wasm:wasm32_wasi_toolchain")

Every repository comes from a Debian package (tools/setup.sh installs them); build with
--experimental_repository_disable_download so that anything not declared here fails loudly
instead of reaching the network.

A workspace that has its own copy of a repository coproxy uses keeps it: a repository already
declared when coproxy_repositories() runs is left alone, and each one a user may have can be
given by argument (docs/build.md, "Your own dependencies"):

    coproxy_repositories(
        googletest = "/src/googletest",  # a path: local_repository (a checkout with BUILD files)
        abseil = None,                   # None: not declared here (you declare it, or need none)
    )

    argument     repository             default ("debian")
    skylib       @bazel_skylib          /usr/share/bazel/tools/skylib
    platforms    @platforms             /usr/share/bazel/tools/platforms (has cpu:wasm32, os:wasi)
    rules_java   @rules_java            /usr/share/bazel/rules/java
    rules_cc     @rules_cc              /usr/share/bazel/rules/cc, patched for Bazel 4.2.3
    googletest   @com_google_googletest /usr/src/googletest, built by coproxy's BUILD file
    abseil       @com_google_absl       Debian's libabsl-dev via pkg-config (native only)
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

DEBIAN = "debian"

def _from_debian(name, source):
    """Whether coproxy declares `name` from Debian: not when `source` is None or the caller
    declared it already; a path `source` is declared here, as a local_repository."""
    if source == None or native.existing_rule(name):
        return False
    if source != DEBIAN:
        native.local_repository(name = name, path = source)
        return False
    return True

def coproxy_repositories(
        skylib = DEBIAN,
        platforms = DEBIAN,
        rules_java = DEBIAN,
        rules_cc = DEBIAN,
        googletest = DEBIAN,
        abseil = DEBIAN):
    # Bazel rule sets packaged by Debian. Debian's @platforms (unlike Bazel's embedded
    # copy) has @platforms//cpu:wasm32 and @platforms//os:wasi.
    if _from_debian("bazel_skylib", skylib):
        native.local_repository(
            name = "bazel_skylib",
            path = "/usr/share/bazel/tools/skylib",
        )
    if _from_debian("platforms", platforms):
        native.local_repository(
            name = "platforms",
            path = "/usr/share/bazel/tools/platforms",
        )

    # Needed even for pure C++ (@rules_java//java is referenced by @bazel_tools).
    if _from_debian("rules_java", rules_java):
        native.local_repository(
            name = "rules_java",
            path = "/usr/share/bazel/rules/java",
        )

    # /usr/share/bazel/rules/cc, symlinked file by file, with the two files that call
    # use_cpp_toolchain() (unknown to Bazel 4.2.3) patched on the fly.
    if _from_debian("rules_cc", rules_cc):
        patched_rules_cc(name = "rules_cc")

    # cc_test/sh_test reference @remote_coverage_tools even without coverage. Stub.
    coverage_tools_stub(name = "remote_coverage_tools")

    # GoogleTest (gtest + gmock) compiled from Debian's sources. str(Label()): coproxy's BUILD
    # file even when a plugin's WORKSPACE calls this macro.
    if _from_debian("com_google_googletest", googletest):
        native.new_local_repository(
            name = "com_google_googletest",
            build_file = str(Label("//bazel/third_party:googletest.BUILD")),
            path = "/usr/src/googletest",
        )

    # abseil: Debian's prebuilt headers + shared libraries (native only).
    if _from_debian("com_google_absl", abseil):
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
