"""Checks an example's deploy configurations (bazel/deploy.bzl, docs/deploy.md):

    check_wasmplugin.py --sources ENVOY_YAML WASMPLUGIN_YAML --deployed FILE... \
        [--module X.wasm IMAGE_FILE...]...

- every WasmPlugin in wasmplugin.yaml, as written and as deployed (sha256 filled in), is valid
  against Istio's schema (tools/wasmplugin_schema.py);
- each names the image of a module of this package, its deployed sha256 is that image's digest,
  its pluginConfig is the configuration envoy.yaml gives the same module (none for none), and
  its type is NETWORK exactly when envoy.yaml loads the module as a network filter;
- every module envoy.yaml loads from a local file has a commented remote variant; in the
  deployed envoy.yaml, that variant put in place of the local file parses and carries the
  module's sha256 and an http_uri naming the module, a cluster and a timeout.
"""

import hashlib
import json
import os
import re
import sys

import yaml

import wasmplugin_schema
from envoy_configurations import string_value

LOCAL = re.compile(r"^(\s*)local:\s*\{filename:\s*\S*?([\w.-]+)\.wasm\}")


def parse_args(argv):
    sources, deployed, modules, current = [], [], {}, None
    mode = None
    for arg in argv:
        if arg in ("--sources", "--deployed", "--module"):
            mode = arg
            continue
        if mode == "--sources":
            sources.append(arg)
        elif mode == "--deployed":
            deployed.append(arg)
        elif mode == "--module":
            current = os.path.basename(arg).removesuffix(".wasm")
            modules[current] = {"wasm": arg}
            mode = "--image"
        elif mode == "--image":
            if arg.endswith(".digest"):
                modules[current]["digest"] = arg
    return sources, deployed, modules


def wasm_filters(node, found):
    """{module name: (filter name, configuration text, VM configuration text)} of every
    vm_config in an envoy.yaml."""
    if isinstance(node, dict):
        for value in node.values():
            if isinstance(value, dict) and isinstance(value.get("config"), dict) and \
                    "vm_config" in value["config"]:
                config = value["config"]
                filename = config["vm_config"].get("code", {}).get("local", {}).get("filename", "")
                found[os.path.basename(filename).removesuffix(".wasm")] = (
                    node.get("name"), string_value(config.get("configuration")),
                    string_value(config["vm_config"].get("configuration")))
            wasm_filters(value, found)
    elif isinstance(node, list):
        for value in node:
            wasm_filters(value, found)
    return found


def remote_variants(text):
    """[(module, config with that module's remote variant in place of its local file)]."""
    lines = text.splitlines()
    variants = []
    for i, line in enumerate(lines):
        local = LOCAL.match(line)
        if not local:
            continue
        indent, module = local.group(1), local.group(2)
        j = i + 1
        while j < len(lines) and lines[j].startswith(indent + "#") and \
                lines[j].strip() != "# remote:":
            j += 1
        if j == len(lines) or lines[j].strip() != "# remote:":
            variants.append((module, None))
            continue
        block = [indent + "remote:"]
        j += 1
        while j < len(lines) and lines[j].startswith(indent + "#   "):
            block.append(indent + lines[j][len(indent) + 2:])
            j += 1
        variants.append((module, "\n".join(lines[:i] + block + lines[j:])))
    return variants


def find_remote(node):
    if isinstance(node, dict):
        if "remote" in node and isinstance(node["remote"], dict):
            return node["remote"]
        for value in node.values():
            found = find_remote(value)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = find_remote(value)
            if found is not None:
                return found
    return None


def check_envoy(path, modules, deployed, errors):
    with open(path) as f:
        text = f.read()
    variants = remote_variants(text)
    if not variants:
        errors.append(f"{path}: loads no module from a local file")
    for module, variant in variants:
        if variant is None:
            errors.append(f"{path}: {module}.wasm has no commented remote variant (# remote:)")
            continue
        try:
            remote = find_remote(yaml.safe_load(variant))
        except yaml.YAMLError as error:
            errors.append(f"{path}: {module}.wasm's remote variant does not parse: {error}")
            continue
        uri = (remote or {}).get("http_uri") or {}
        if not str(uri.get("uri", "")).endswith("/" + module + ".wasm") or \
                not uri.get("cluster") or not uri.get("timeout"):
            errors.append(f"{path}: {module}.wasm's remote http_uri wants a uri ending in "
                          f"/{module}.wasm, a cluster and a timeout: {uri}")
        if deployed:
            if module not in modules:
                errors.append(f"{path}: no module {module}.wasm given to check")
                continue
            with open(modules[module]["wasm"], "rb") as f:
                want = hashlib.sha256(f.read()).hexdigest()
            if remote.get("sha256") != want:
                errors.append(f"{path}: {module}.wasm's remote sha256 is "
                              f"{remote.get('sha256')!r}, the module's is {want}")


def image_name(url):
    match = re.match(r"^oci://[^\s]*/([\w.-]+?)(?::[\w][\w.-]*)?$", url or "")
    return match.group(1) if match else None


def check_wasmplugins(path, filters, modules, deployed, errors):
    with open(path) as f:
        documents = [d for d in yaml.safe_load_all(f) if d is not None]
    if not documents:
        errors.append(f"{path}: no WasmPlugin")
    for document in documents:
        name = (document.get("metadata") or {}).get("name") if isinstance(document, dict) else None
        where = f"{path}: WasmPlugin {name}"
        errors.extend(f"{where}: {e}" for e in wasmplugin_schema.validate(document))
        spec = document.get("spec") if isinstance(document, dict) else None
        if not isinstance(spec, dict):
            continue
        module = image_name(spec.get("url"))
        if module not in filters:
            errors.append(f"{where}: url {spec.get('url')!r} is not oci://.../<a module "
                          f"envoy.yaml loads>:TAG ({', '.join(sorted(filters))})")
            continue
        filter_name, configuration, vm_configuration = filters[module]
        # Istio gives no VM configuration: its fields go in the plugin's (vm_plugin_configuration).
        want = {**(json.loads(configuration) if configuration else {}),
                **(json.loads(vm_configuration) if vm_configuration else {})} or None
        if spec.get("pluginConfig") != want:
            errors.append(f"{where}: pluginConfig {json.dumps(spec.get('pluginConfig'))} is not "
                          f"the configuration envoy.yaml gives {module}: {configuration!r}"
                          + (f" with its VM's {vm_configuration!r}" if vm_configuration else ""))
        network = filter_name == "envoy.filters.network.wasm"
        if (spec.get("type") == "NETWORK") != network:
            errors.append(f"{where}: type {spec.get('type')!r}, but envoy.yaml loads {module} "
                          f"as {filter_name}")
        if deployed:
            with open(modules[module]["digest"]) as f:
                digest = f.read().strip().removeprefix("sha256:")
            if spec.get("sha256") != digest:
                errors.append(f"{where}: sha256 {spec.get('sha256')!r} is not the image's "
                              f"digest {digest}")
        elif "sha256" in spec:
            errors.append(f"{where}: the source gives a sha256; the build fills it in")


def main(argv):
    sources, deployed, modules = parse_args(argv)
    envoy_source, wasmplugin_source = sources
    errors = []
    with open(envoy_source) as f:
        filters = wasm_filters(yaml.safe_load(f), {})
    deployed_envoy = [p for p in deployed if os.path.basename(p) == "envoy.yaml"]
    deployed_wasmplugin = [p for p in deployed if os.path.basename(p) == "wasmplugin.yaml"]
    if len(deployed_envoy) != 1 or len(deployed_wasmplugin) != 1:
        errors.append(f"want one deployed envoy.yaml and wasmplugin.yaml, got {deployed}")
    check_envoy(envoy_source, modules, False, errors)
    check_wasmplugins(wasmplugin_source, filters, modules, False, errors)
    for path in deployed_envoy:
        check_envoy(path, modules, True, errors)
    for path in deployed_wasmplugin:
        check_wasmplugins(path, filters, modules, True, errors)
    for error in errors:
        print("FAIL: " + error)
    if not errors:
        print(f"PASS: {wasmplugin_source} and {envoy_source}, as written and as deployed "
              f"({', '.join(sorted(modules))})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
