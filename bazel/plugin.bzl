"""coproxy_plugin: one set of sources, built natively (tests) and as a Proxy-Wasm .wasm.

    load("//bazel:plugin.bzl", "coproxy_plugin")

    coproxy_plugin(
        name = "http_headers",          # -> :http_headers (http_headers.wasm)
        srcs = ["http_headers.cc"],      #    :http_headers_native (cc_library)
        deps = [...],                    # must build for both wasm32-wasi and the host
        # copts = [...],                 # both builds
        # sdk = None,                    # default Label("//:coproxy"); None = no SDK
        # wasm_linkopts = [...],         # wasm-ld flags for the module only
    )

Targets created:
  <name>           the optimized module <name>.wasm (wasm-opt -Oz --strip-debug
                   --strip-producers), built for //bazel/platforms:wasm32_wasi through a
                   platform transition; usable as `data` of tests ($(rootpath :<name>)).
                   Output group `unoptimized`: the module as linked by wasm-ld.
  <name>_native    cc_library (alwayslink) of the same srcs/deps + the SDK, for native
                   tests against the emulator: load_native("<name>").
  <name>_wasm2c    (testonly) the optimized module translated by wasm2c, for the
                   emulator's wasm backend: load_wasm("<name>").
  <name>_wasm_bin  the wasm32-wasi cc_binary (reactor). target_compatible_with wasm32,
                   so a plain `bazel build //...` skips it as a top-level target; it is
                   built through <name>.

Also wasm2c_module(name, wasm, module_name): any .wasm as a native cc_library the
emulator runs with load_wasm("<module_name>").
Tests that inspect modules can call the tools directly:
    data = ["@wasm_tools//:wasm-objdump", ":my_plugin"],
    args = ["$(rootpath @wasm_tools//:wasm-objdump)", "$(rootpath :my_plugin)"],
//tests:wasm_module_test.sh (exported) does exactly that: it takes
wasm-objdump, wasm-validate and a module, and checks the ABI marker export and that
every import comes from `env`.
"""

_WASM_PLATFORM = Label("//bazel/platforms:wasm32_wasi")
_WASM_CONSTRAINTS = [
    Label("@platforms//cpu:wasm32"),
    Label("@platforms//os:wasi"),
]

def _wasm_transition_impl(settings, attr):
    # Native flags such as --config=asan's -fsanitize=... must not reach wasm32; the
    # wasm toolchain sets every flag it needs (including -std=c++20) itself.
    return {
        "//command_line_option:platforms": str(_WASM_PLATFORM),
        "//command_line_option:copt": [],
        "//command_line_option:cxxopt": [],
        "//command_line_option:conlyopt": [],
        "//command_line_option:linkopt": [],
    }

wasm_transition = transition(
    implementation = _wasm_transition_impl,
    inputs = [],
    outputs = [
        "//command_line_option:platforms",
        "//command_line_option:copt",
        "//command_line_option:cxxopt",
        "//command_line_option:conlyopt",
        "//command_line_option:linkopt",
    ],
)

def wasm_opt_arguments(ctx, linked, out, keep_names = False):
    """wasm-opt's arguments for a module: -Oz (-O2 with --features=wasm_speed), producers
    stripped, and debug info stripped unless keep_names (-g: the name section kept, for
    bench/'s profiles; //bench:*_same_code_test checks the code is the same)."""
    return [
        linked.path,
        "-O2" if "wasm_speed" in ctx.features else "-Oz",
        "-g" if keep_names else "--strip-debug",
        "--strip-producers",
        "-o",
        out.path,
    ]

def _wasm_plugin_impl(ctx):
    binary = ctx.attr.binary
    if type(binary) == "list":  # an attribute with a Starlark transition is a list (any Bazel)
        binary = binary[0]
    linked = binary[DefaultInfo].files_to_run.executable
    out = ctx.actions.declare_file(ctx.label.name + ".wasm")
    ctx.actions.run(
        executable = ctx.executable._wasm_opt,
        arguments = wasm_opt_arguments(ctx, linked, out),
        inputs = [linked],
        outputs = [out],
        mnemonic = "WasmOpt",
        progress_message = "Optimizing %s" % out.short_path,
    )
    return [
        DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out])),
        OutputGroupInfo(unoptimized = depset([linked])),
    ]

wasm_plugin = rule(
    implementation = _wasm_plugin_impl,
    doc = "Builds `binary` for wasm32-wasi and optimizes it into <name>.wasm.",
    attrs = {
        "binary": attr.label(
            mandatory = True,
            cfg = wasm_transition,
            doc = "A cc_binary; built for //bazel/platforms:wasm32_wasi.",
        ),
        "_wasm_opt": attr.label(
            default = Label("@wasm_tools//:wasm-opt"),
            executable = True,
            cfg = "exec",
        ),
        # Bazel 4-6 want it on a rule with a Starlark transition; 7.0+ does not.
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)

# Attributes that make sense on every target the macro creates; anything else in
# **kwargs (linkopts, defines, includes, ...) goes to the two cc targets only.
_COMMON_ATTRS = ["testonly", "deprecation", "features", "exec_compatible_with"]

def coproxy_plugin(
        name,
        srcs,
        deps = [],
        copts = [],
        sdk = Label("//:coproxy"),
        wasm_linkopts = [],
        wasm2c = True,
        **kwargs):
    """Builds a Proxy-Wasm plugin as <name>.wasm and as <name>_native (cc_library).

    Args:
      name: target name; the module is <name>.wasm.
      srcs: C++ sources (and private headers), compiled for wasm32-wasi and natively.
        Exports are declared in source with __attribute__((export_name("..."))).
      deps: cc_library deps, needed by both builds (abseil, gtest: native only).
      copts: extra compile flags for both builds. The wasm build always gets
        -std=c++20 -Oz -fno-exceptions -fno-rtti -DCOPROXY_WASM=1 -DNDEBUG.
      sdk: the SDK library (default //:coproxy); None to build without it. Objects
        that only define exports must be linked whole: the SDK needs alwayslink.
      wasm_linkopts: extra wasm-ld flags for the module only (e.g.
        "-Wl,-z,stack-size=65536").
      wasm2c: also make <name>_wasm2c (default); False for a module no test runs.
      **kwargs: visibility, tags, testonly, ... for all targets; other cc attributes
        (linkopts, defines, ...) for <name>_native and <name>_wasm_bin.
    """
    sdk_deps = [sdk] if sdk else []
    visibility = kwargs.pop("visibility", None)
    tags = kwargs.pop("tags", [])
    common = {k: kwargs[k] for k in _COMMON_ATTRS if k in kwargs}

    native.cc_library(
        name = name + "_native",
        srcs = srcs,
        deps = deps + sdk_deps,
        copts = copts,
        alwayslink = True,
        visibility = visibility,
        tags = tags,
        **kwargs
    )

    cc_binary_kwargs = dict(kwargs)
    cc_binary_kwargs["linkopts"] = cc_binary_kwargs.get("linkopts", []) + wasm_linkopts
    native.cc_binary(
        name = name + "_wasm_bin",
        srcs = srcs,
        deps = deps + sdk_deps,
        copts = copts,
        # Only buildable for wasm32-wasi: `bazel build //...` skips it as a top-level
        # target and builds it through <name>'s transition.
        target_compatible_with = _WASM_CONSTRAINTS,
        visibility = ["//visibility:private"],
        tags = tags,
        **cc_binary_kwargs
    )

    wasm_plugin(
        name = name,
        binary = ":" + name + "_wasm_bin",
        visibility = visibility,
        tags = tags,
        **common
    )

    # The module for the emulator's wasm backend: load_wasm("<name>").
    if not wasm2c:
        return
    wasm2c_module(
        name = name + "_wasm2c",
        wasm = ":" + name,
        module_name = name,
        visibility = visibility,
        tags = tags,
    )

def wasm2c_module(name, wasm, module_name = None, copts = [], wasi_stdio = False, **kwargs):
    """Translates `wasm` with wasm2c into a native cc_library `name` the emulator can run.

    The library holds the translated module (header <package>/<name>.h; wabt 1.0.32 symbols
    Z_<module_name>_instantiate, Z_<module_name>Z_<export>) and its glue, which registers it
    with the emulator's wasm backend under `module_name` (default: `name`):
    load_wasm("<module_name>") then runs it. Link it whole (it is alwayslink). `copts` go to
    the translated module's compile only (the benchmarks pick -O0 or -O2 there).
    `wasi_stdio`: the module also imports WASI's fd_write, fd_seek and fd_close (wasi-libc's
    stdio: bench/'s nlohmann-json module only), which testing/wasi_stdio_refused.cc refuses.
    """
    module_name = module_name or name
    tags = kwargs.pop("tags", [])
    native.genrule(
        name = name + "_translate",
        srcs = [wasm],
        outs = [name + ".c", name + ".h"],
        tools = [Label("@wasm_tools//:wasm2c")],
        cmd = "$(location %s) $(location %s) -n %s -o $(location %s.c)" % (
            Label("@wasm_tools//:wasm2c"),
            wasm,
            module_name,
            name,
        ),
        visibility = ["//visibility:private"],
        tags = tags,
        testonly = True,
    )
    header = (native.package_name() + "/" if native.package_name() else "") + name + ".h"
    native.genrule(
        name = name + "_glue",
        outs = [name + "_glue.cc"],
        cmd = "printf '%s' > $@" % (
            "// Generated by wasm2c_module (bazel/plugin.bzl).\\n" +
            "#include \"%s\"\\n" % header +
            "#define COPROXY_WASM2C_MODULE %s\\n" % module_name +
            ("#define COPROXY_WASM2C_WASI_STDIO 1\\n" if wasi_stdio else "") +
            "#include \"testing/wasm2c_glue.inc\"\\n"
        ),
        visibility = ["//visibility:private"],
        tags = tags,
        testonly = True,
    )
    native.cc_library(
        name = name + "_module",
        srcs = [name + ".c"],
        hdrs = [name + ".h"],
        # Generated code: unused labels and variables are expected, and call_indirect
        # casts every table entry to a (void*) instance type, which UBSan's function
        # check (on under --config=asan) reports although the module checked the type.
        copts = ["-w", "-fno-sanitize=function"] + copts,
        deps = [Label("@wasm_tools//:wasm_rt")],
        visibility = ["//visibility:private"],
        tags = tags,
        testonly = True,
    )
    native.cc_library(
        name = name,
        srcs = [name + "_glue.cc"],
        deps = [":" + name + "_module", Label("//testing:wasm_backend")] +
               ([Label("//testing:wasi_stdio_refused")] if wasi_stdio else []),
        alwayslink = True,
        tags = tags,
        testonly = True,
        **kwargs
    )

def coproxy_scenario(name, plugin, scenario, golden = None, **kwargs):
    """A runner that plays `scenario` (testing/scenario.h) through `plugin` and prints the trace.

        coproxy_scenario(
            name = "hello_scenario",      # bazel run :hello_scenario  (the .wasm)
            plugin = ":hello",            # a coproxy_plugin in this package
            scenario = "hello.scenario",
            golden = "hello.trace",       # optional: :hello_scenario_test compares both
        )                                 # backends' traces with it

    Args:
      name: the runner (cc_binary); its default args run the scenario on the .wasm.
      plugin: the coproxy_plugin target (":<plugin name>").
      scenario: the scenario file.
      golden: the expected trace; adds <name>_test (wasm and native must both match it).
      **kwargs: tags, visibility, ...
    """
    plugin_name = plugin.split(":")[-1]
    native.cc_binary(
        name = name,
        deps = [
            Label("//testing:scenario_main"),
            plugin + "_native",
            plugin + "_wasm2c",
        ],
        args = [plugin_name, "$(rootpath %s)" % scenario],
        data = [scenario],
        testonly = True,
        **kwargs
    )
    if golden:
        native.sh_test(
            name = name + "_test",
            size = "small",
            srcs = [Label("//testing:scenario_test.sh")],
            args = [
                "$(rootpath :%s)" % name,
                plugin_name,
                "$(rootpath %s)" % scenario,
                "$(rootpath %s)" % golden,
            ],
            data = [":" + name, scenario, golden],
            **kwargs
        )

def coproxy_module_test(name, plugin, max_bytes = None, **kwargs):
    """Checks a plugin's .wasm: valid, every ABI export, imports only from env, and (with
    max_bytes) no larger than that.

    Args:
      name: the sh_test.
      plugin: the coproxy_plugin target (":<plugin name>").
      max_bytes: the size budget in bytes, or None for no budget.
      **kwargs: tags, ...
    """
    native.sh_test(
        name = name,
        size = "small",
        srcs = [Label("//tests:wasm_module_test.sh")],
        args = [
            "$(rootpath %s)" % Label("@wasm_tools//:wasm-objdump"),
            "$(rootpath %s)" % Label("@wasm_tools//:wasm-validate"),
            "$(rootpath %s)" % plugin,
        ] + ([str(max_bytes)] if max_bytes else []),
        data = [
            plugin,
            Label("@wasm_tools//:wasm-objdump"),
            Label("@wasm_tools//:wasm-validate"),
        ],
        **kwargs
    )
