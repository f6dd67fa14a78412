"""Checks an example's envoy.yaml: it parses, it loads the example's .wasm from a local file in
a wasm extension of the right kind (envoy.filters.http.wasm, envoy.filters.network.wasm or a
bootstrap envoy.bootstrap.wasm service, v3), and it defines a cluster for every upstream the
plugin calls.

Usage: check_envoy_config.py ENVOY_YAML WASM_NAME http|network|bootstrap [UPSTREAM...]
"""
import sys

import yaml

WASM_TYPES = {
    "http": ("envoy.filters.http.wasm", "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm"),
    "network": ("envoy.filters.network.wasm",
                "type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm"),
    "bootstrap": ("envoy.bootstrap.wasm", "type.googleapis.com/envoy.extensions.wasm.v3.WasmService"),
}


def walk(node):
    """Every dict inside node, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def main(argv):
    path, wasm_name, kind, upstreams = argv[1], argv[2], argv[3], argv[4:]
    errors = []
    with open(path) as f:
        config = yaml.safe_load(f)
    if not isinstance(config, dict) or "static_resources" not in config:
        print(f"FAIL: {path}: no static_resources")
        return 1
    filter_name, type_url = WASM_TYPES[kind]

    def loads(node):
        vm = node.get("typed_config", {}).get("config", {}).get("vm_config", {})
        filename = vm.get("code", {}).get("local", {}).get("filename", "")
        return filename == wasm_name or filename.endswith("/" + wasm_name)

    # Other extensions of the same kind may load other plugins (shared_queue: two of them).
    extensions = [node for node in walk(config) if node.get("name") == filter_name and loads(node)]
    if not extensions:
        errors.append(f"no {filter_name} loads {wasm_name}")
    for extension in extensions:
        typed = extension.get("typed_config", {})
        if typed.get("@type") != type_url:
            errors.append(f"{filter_name}: typed_config @type is not {type_url}")
        vm = typed.get("config", {}).get("vm_config", {})
        if not vm.get("runtime", "").startswith("envoy.wasm.runtime."):
            errors.append(f"{filter_name}: vm_config has no envoy.wasm.runtime.* runtime")
    clusters = {c.get("name") for c in config["static_resources"].get("clusters", []) or []}
    for upstream in upstreams:
        if upstream not in clusters:
            errors.append(f"no cluster {upstream!r} for the upstream the plugin calls")
    for error in errors:
        print(f"FAIL: {path}: {error}")
    if not errors:
        print(f"PASS: {path} loads {wasm_name} and defines clusters {sorted(upstreams)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
