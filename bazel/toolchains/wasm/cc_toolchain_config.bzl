"""cc_toolchain_config for wasm32-wasi reactors (Proxy-Wasm plugins).

Tool paths, include directories and library directories come from
@coproxy_wasm_toolchain (//bazel:repositories.bzl): Debian's clang-19 + wasm-ld-19 +
llvm-ar-19 with Debian's wasm32 libc++/wasi-libc, or a wasi-sdk when WASI_SDK_PATH is set.

The flags are the same in every compilation mode (-c fastbuild/dbg/opt): a plugin is
always a small, optimized module. Bazel's legacy features (include paths, defines,
user copts, -o, libraries_to_link with --whole-archive for alwayslink, ...) stay on.
"""

# From @bazel_tools, as Bazel 4.2.3 and Debian's rules_cc 0.0.4 have them; from Bazel 7 their home
# is @rules_cc//cc (docs/build.md, "Newer Bazel").
load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
)
load("@coproxy_wasm_toolchain//:config.bzl", "WASM_TOOLCHAIN")

# wasm32-wasi, or wasm32-wasip1 for a wasi-sdk (25+) whose sysroot has only that target's
# directories: the same code (clang 19 defines the same macros for both), another library path.
_TARGET = "--target=" + WASM_TOOLCHAIN.target

_ALL_COMPILE_ACTIONS = [
    ACTION_NAMES.assemble,
    ACTION_NAMES.preprocess_assemble,
    ACTION_NAMES.c_compile,
    ACTION_NAMES.cpp_compile,
    ACTION_NAMES.cpp_header_parsing,
    ACTION_NAMES.cpp_module_compile,
    ACTION_NAMES.cpp_module_codegen,
    ACTION_NAMES.linkstamp_compile,
]

_CPP_COMPILE_ACTIONS = [
    ACTION_NAMES.cpp_compile,
    ACTION_NAMES.cpp_header_parsing,
    ACTION_NAMES.cpp_module_compile,
    ACTION_NAMES.cpp_module_codegen,
    ACTION_NAMES.linkstamp_compile,
]

_LINK_ACTIONS = [
    ACTION_NAMES.cpp_link_executable,
    ACTION_NAMES.cpp_link_dynamic_library,
    ACTION_NAMES.cpp_link_nodeps_dynamic_library,
]

def _flags(actions, flags):
    return flag_set(actions = actions, flag_groups = [flag_group(flags = flags)])

def _impl(ctx):
    tc = WASM_TOOLCHAIN
    isystem = []
    for d in tc.include_dirs:
        isystem += ["-isystem", d]

    compile_flags = feature(
        name = "default_compile_flags",
        enabled = True,
        flag_sets = [
            _flags(_ALL_COMPILE_ACTIONS, [
                _TARGET,
                "-Oz",
                "-flto",
                "-ffunction-sections",
                "-fdata-sections",
                "-fno-exceptions",
                # memcpy/memmove/memset as single instructions (src/wasm_runtime.cc);
                # every Proxy-Wasm runtime (V8, wasmtime, WAMR) and wasm2c support it.
                "-mbulk-memory",
                # The driver's default include path ends with the host's /usr/include
                # (glibc, gtest, absl): keep only the wasm32 headers.
                "-nostdinc",
            ] + isystem + tc.sysroot_flags + [
                "-DCOPROXY_WASM=1",
                # assert() would pull in stdio -> wasi_snapshot_preview1.fd_write.
                "-DNDEBUG",
                # Reproducible objects.
                "-Wno-builtin-macro-redefined",
                "-D__DATE__=\"redacted\"",
                "-D__TIMESTAMP__=\"redacted\"",
                "-D__TIME__=\"redacted\"",
                "-no-canonical-prefixes",
            ]),
            _flags(_CPP_COMPILE_ACTIONS, ["-std=c++20", "-fno-rtti"]),
        ],
    )

    link_flags = feature(
        name = "default_link_flags",
        enabled = True,
        flag_sets = [
            _flags(_LINK_ACTIONS, [
                _TARGET,
                # A reactor: crt1-reactor.o, exports _initialize, needs no main().
                "-mexec-model=reactor",
                "-flto",
                "-no-canonical-prefixes",
            ] + tc.sysroot_flags + ["-L" + d for d in tc.lib_dirs] + [
                "-Wl,--gc-sections",
                # --strip-debug, not --strip-all: the latter drops target_features,
                # which wasm-opt needs. No -O here: clang would run wasm-opt itself.
                "-Wl,--strip-debug",
            ]),
        ],
    )

    # --features=wasm_speed: optimize modules for speed, not size (bench/run.sh measures both;
    # -O2 comes after -Oz and wins). coproxy_plugin's wasm-opt follows the same feature.
    speed = feature(
        name = "wasm_speed",
        enabled = False,
        flag_sets = [_flags(_ALL_COMPILE_ACTIONS + _LINK_ACTIONS, ["-O2"])],
    )

    # Must come after the objects and user libraries, hence its own feature that
    # Bazel orders after libraries_to_link/user_link_flags.
    runtime_libs = feature(
        name = "wasm_runtime_libraries",
        enabled = True,
        flag_sets = [
            _flags(_LINK_ACTIONS, ["-lc++", "-lc++abi", tc.builtins]),
        ],
    )

    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        features = [compile_flags, link_flags, speed, runtime_libs],
        cxx_builtin_include_directories = tc.include_dirs,
        toolchain_identifier = "wasm32-wasi-clang",
        host_system_name = "local",
        target_system_name = "wasm32-wasi",
        target_cpu = "wasm32",
        target_libc = "wasi",
        compiler = "clang",
        abi_version = "wasm32",
        abi_libc_version = "wasi",
        tool_paths = [
            tool_path(name = "gcc", path = tc.clang),
            tool_path(name = "ld", path = tc.ld),
            tool_path(name = "ar", path = tc.ar),
            tool_path(name = "cpp", path = "/bin/false"),
            tool_path(name = "gcov", path = "/bin/false"),
            tool_path(name = "nm", path = tc.nm),
            tool_path(name = "objdump", path = tc.objdump),
            tool_path(name = "strip", path = tc.strip),
        ],
    )

wasm_cc_toolchain_config = rule(
    implementation = _impl,
    attrs = {},
    provides = [CcToolchainConfigInfo],
)
