"""Shipping a plugin to a fleet (docs/deploy.md).

    coproxy_oci_image(name = "hello_image", plugin = ":hello")
        -> hello_image/ (an OCI image layout), hello_image.tar (the same, one file),
           hello_image.digest (the manifest's digest: what WasmPlugin.sha256 is compared with)

    coproxy_deploy(name = "deploy", plugins = [":hello"])
        -> an image per plugin (<plugin>_image), and deploy/envoy.yaml and
           deploy/wasmplugin.yaml: the package's envoy.yaml and wasmplugin.yaml with the sha256s
           filled in (the module's for Envoy's remote code, the image's for Istio's oci:// URL),
           and deploy_test: the WasmPlugin against Istio's schema, its pluginConfig equal to the
           envoy.yaml's configuration, every sha256 right.
"""

WasmOciImageInfo = provider(
    doc = "A plugin packed as a Wasm OCI image (compat variant).",
    fields = {
        "module": "the .wasm",
        "layout": "the OCI image layout directory",
        "archive": "the layout as a tar",
        "digest": "a file holding the manifest's digest, sha256:HEX",
    },
)

def _oci_image_impl(ctx):
    module = ctx.file.plugin
    layout = ctx.actions.declare_directory(ctx.label.name)
    archive = ctx.actions.declare_file(ctx.label.name + ".tar")
    digest = ctx.actions.declare_file(ctx.label.name + ".digest")
    ctx.actions.run_shell(
        inputs = [module, ctx.file._tool],
        outputs = [layout, archive, digest],
        # python3 from the fixed action PATH, not a py_binary: Bazel 4.2.3's py stub runs
        # "#!/usr/bin/env python", which Debian 12 lacks (docs/build.md, "Newer Bazel").
        command = 'python3 "$1" --wasm "$2" --layout "$3" --archive "$4" --digest "$5" --tag "$6"',
        arguments = [ctx.file._tool.path, module.path, layout.path, archive.path, digest.path, ctx.attr.tag],
        use_default_shell_env = True,
        mnemonic = "WasmOciImage",
        progress_message = "Packing %s as a Wasm OCI image" % module.short_path,
    )
    return [
        DefaultInfo(
            files = depset([layout, archive, digest]),
            runfiles = ctx.runfiles(files = [layout, archive, digest]),
        ),
        WasmOciImageInfo(module = module, layout = layout, archive = archive, digest = digest),
    ]

coproxy_oci_image = rule(
    implementation = _oci_image_impl,
    doc = "Packs a plugin's .wasm as a Wasm OCI image (compat variant), reproducibly.",
    attrs = {
        "plugin": attr.label(allow_single_file = [".wasm"], mandatory = True),
        "tag": attr.string(default = "latest", doc = "the image's name in the layout (oci:DIR:TAG)"),
        "_tool": attr.label(allow_single_file = True, default = Label("//tools:wasm_oci_image.py")),
    },
)

def _deploy_configs_impl(ctx):
    images = [image[WasmOciImageInfo] for image in ctx.attr.images]
    outputs = []
    arguments = [ctx.file._tool.path]
    for image in images:
        arguments += ["--image", image.module.path, image.digest.path]
    for source in [ctx.file.envoy_config, ctx.file.wasmplugin]:
        out = ctx.actions.declare_file(ctx.label.name + "/" + source.basename)
        outputs.append(out)
        arguments += ["--fill", source.path, out.path]
    ctx.actions.run_shell(
        inputs = [ctx.file._tool, ctx.file.envoy_config, ctx.file.wasmplugin] +
                 [image.module for image in images] + [image.digest for image in images],
        outputs = outputs,
        command = 'python3 "$@"',
        arguments = arguments,
        use_default_shell_env = True,
        mnemonic = "FillSha256",
    )
    return [DefaultInfo(files = depset(outputs), runfiles = ctx.runfiles(files = outputs))]

_deploy_configs = rule(
    implementation = _deploy_configs_impl,
    attrs = {
        "images": attr.label_list(providers = [WasmOciImageInfo]),
        "envoy_config": attr.label(allow_single_file = True),
        "wasmplugin": attr.label(allow_single_file = True),
        "_tool": attr.label(allow_single_file = True, default = Label("//tools:fill_sha256.py")),
    },
)

def coproxy_deploy(name, plugins, envoy_config = "envoy.yaml", wasmplugin = "wasmplugin.yaml", visibility = None):
    """Images for `plugins` (labels of coproxy_plugin targets in this package), the deploy
    configurations with their sha256s, and their check (<name>_test)."""
    images = []
    for plugin in plugins:
        image = plugin.lstrip(":") + "_image"
        coproxy_oci_image(
            name = image,
            plugin = plugin,
            # tests/deploy pushes every example's image to a registry and pulls it back.
            visibility = visibility or [Label("//tests/deploy:__pkg__")],
        )
        images.append(":" + image)
    _deploy_configs(
        name = name,
        images = images,
        envoy_config = envoy_config,
        wasmplugin = wasmplugin,
    )
    native.sh_test(
        name = name + "_test",
        size = "small",
        srcs = [Label("//tools:check_envoy_config.sh")],
        args = [
            "$(rootpath %s)" % Label("//tools:check_wasmplugin.py"),
            "--sources",
            "$(rootpath %s)" % envoy_config,
            "$(rootpath %s)" % wasmplugin,
            "--deployed",
            "$(rootpaths :%s)" % name,
        ] + [
            arg
            for plugin, image in zip(plugins, images)
            for arg in ["--module", "$(rootpath %s)" % plugin, "$(rootpaths %s)" % image]
        ],
        data = [
            envoy_config,
            wasmplugin,
            ":" + name,
            Label("//tools:check_wasmplugin.py"),
            Label("//tools:envoy_configurations.py"),
            Label("//tools:wasmplugin_schema.py"),
        ] + plugins + images,
    )
