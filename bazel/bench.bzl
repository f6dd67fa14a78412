"""bench_module: a plugin's module as the request-cost benchmark runs it (bench/README.md).

    bench_module(name = "hello", plugin = "//examples/hello:hello")

Targets created:
  <name>_named_wasm     the plugin's module optimized exactly as <plugin>.wasm is
                        (wasm-opt -Oz, or -O2 with --features=wasm_speed), keeping the name
                        section so that the translated functions carry coproxy's function
                        names in a profile
  <name>_same_code_test checks that <name>_named_wasm without its names is byte for byte
                        <plugin>.wasm: the benchmark measures the shipped code
  <name>_O0, <name>_O2  the module translated by wasm2c, compiled without optimization (it
                        executes the wasm instructions one by one, as an interpreter does) and
                        with -O2 (as a JIT runs it); each registers as load_wasm("<name>")
"""

load("//bazel:plugin.bzl", "wasm2c_module", "wasm_opt_arguments")

def _named_wasm_impl(ctx):
    linked = ctx.attr.plugin[OutputGroupInfo].unoptimized.to_list()[0]
    out = ctx.actions.declare_file(ctx.label.name + ".wasm")
    ctx.actions.run(
        executable = ctx.executable._wasm_opt,
        # The flags of bazel/plugin.bzl's wasm_plugin, but -g instead of --strip-debug.
        arguments = wasm_opt_arguments(ctx, linked, out, keep_names = True),
        inputs = [linked],
        outputs = [out],
        mnemonic = "WasmOptNamed",
        progress_message = "Optimizing %s with names" % out.short_path,
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

named_wasm = rule(
    implementation = _named_wasm_impl,
    attrs = {
        "plugin": attr.label(mandatory = True, doc = "A coproxy_plugin (its wasm_plugin)."),
        "_wasm_opt": attr.label(
            default = Label("@wasm_tools//:wasm-opt"),
            executable = True,
            cfg = "exec",
        ),
    },
)

def bench_module(name, plugin, wasi_stdio = False):
    named_wasm(name = name + "_named_wasm", plugin = plugin, testonly = True)
    native.sh_test(
        name = name + "_same_code_test",
        size = "small",
        srcs = [Label("//bench:same_code_test.sh")],
        args = [
            "$(rootpath %s)" % Label("@wasm_tools//:wasm-opt"),
            "$(rootpath :%s_named_wasm)" % name,
            "$(rootpath %s)" % plugin,
        ],
        data = [":" + name + "_named_wasm", plugin, Label("@wasm_tools//:wasm-opt")],
    )
    for level in ["O0", "O2"]:
        wasm2c_module(
            name = name + "_" + level,
            wasm = ":" + name + "_named_wasm",
            module_name = name,
            # -gdwarf-4 (valgrind 3.19 reads no DWARF 5) names the source file of each function for callgrind (bench/callgrind.py
            # counts the functions of the translated file); it does not change the code.
            copts = ["-" + level, "-gdwarf-4"],
            wasi_stdio = wasi_stdio,
        )
