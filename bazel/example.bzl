"""coproxy_example: one example plugin with everything an example has (examples/README.md).

    coproxy_example(
        name = "http_headers",      # examples/http_headers/http_headers.cc, _test.cc, envoy.yaml
        upstreams = ["auth"],       # clusters the plugin calls: envoy.yaml must define each
        network = False,            # True: a TCP filter (envoy.filters.network.wasm)
        max_bytes = 24576,          # the .wasm's size budget
    )

Targets: <name> (the .wasm), <name>_native, <name>_wasm2c, <name>_test (the test on both
backends), <name>_module_test (valid, imports only from env, within budget) and
<name>_envoy_test (envoy.yaml parses, names <name>.wasm and a cluster per upstream) and
<name>_fault_sweep_test (the test again with each host call failing in turn); deploy (an OCI
image per plugin, <name>_image, and envoy.yaml and wasmplugin.yaml with their sha256s,
bazel/deploy.bzl) and deploy_test. more_plugins: the package's other plugins, imaged too.
"""

load("@rules_cc//cc:defs.bzl", "cc_test")
load("//bazel:deploy.bzl", "coproxy_deploy")
load("//bazel:fault_sweep.bzl", "coproxy_fault_sweep_test")
load("//bazel:plugin.bzl", "coproxy_module_test", "coproxy_plugin")

def coproxy_example(
        name,
        upstreams = [],
        network = False,
        max_bytes = 24576,
        srcs = None,
        deps = [],
        test_deps = [],
        envoy_config = "envoy.yaml",
        more_plugins = []):
    coproxy_plugin(
        name = name,
        srcs = srcs or [name + ".cc"],
        deps = deps,
        # The event fuzzer drives every example, tests/deploy ships each; bench/ and tests/
        # measure and check some.
        visibility = [
            Label("//tests/fuzz:__pkg__"),
            Label("//tests/deploy:__pkg__"),
            Label("//bench:__pkg__"),
            Label("//tests:__pkg__"),
        ],
    )
    coproxy_module_test(
        name = name + "_module_test",
        plugin = ":" + name,
        max_bytes = max_bytes,
    )
    cc_test(
        name = name + "_test",
        size = "small",
        srcs = [name + "_test.cc"],
        deps = [
            ":" + name + "_native",
            ":" + name + "_wasm2c",
            Label("//testing:plugin_test"),
            Label("@com_google_googletest//:gtest_main"),
        ] + test_deps,
    )
    coproxy_fault_sweep_test(
        name = name + "_fault_sweep_test",
        test = ":" + name + "_test",
    )
    # For tests/fuzz: every example's configuration as Envoy and as Istio pass it.
    native.exports_files([envoy_config, "wasmplugin.yaml"], visibility = [Label("//tests/fuzz:__pkg__")])
    envoy_config_test(
        name = name + "_envoy_test",
        config = envoy_config,
        plugin = name,
        kind = "network" if network else "http",
        upstreams = upstreams,
    )
    coproxy_deploy(
        name = "deploy",
        plugins = [":" + name] + more_plugins,
        envoy_config = envoy_config,
    )

def envoy_config_test(name, config, plugin, kind = "http", upstreams = [], readme = None):
    """Checks that `config` (an envoy.yaml) loads :<plugin>'s .wasm in a wasm extension of
    `kind` (http, network or bootstrap), defines a cluster for each of `upstreams`, none of which
    runs the same plugin, and that the ports its comments and `readme` (README.md, if the
    package has one) say to call are its listeners'."""
    if readme == None and native.glob(["README.md"]):
        readme = "README.md"
    native.sh_test(
        name = name,
        size = "small",
        srcs = [Label("//tools:check_envoy_config.sh")],
        args = [
            "$(rootpath %s)" % Label("//tools:check_envoy_config.py"),
            "$(rootpath %s)" % config,
            plugin + ".wasm",
            kind,
        ] + upstreams + (["--readme", "$(rootpath %s)" % readme] if readme else []),
        data = [config, ":" + plugin, Label("//tools:check_envoy_config.py")] + ([readme] if readme else []),
    )
