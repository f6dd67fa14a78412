"""Checks an example's envoy.yaml: it parses, it loads the example's .wasm from a local file in
a wasm extension of the right kind (envoy.filters.http.wasm, envoy.filters.network.wasm or a
bootstrap envoy.bootstrap.wasm service, v3), and it defines a cluster for every upstream the
plugin calls, and that the config works when run:
- no cluster the plugin calls resolves to a listener of this config that runs the same plugin
  (every callout would re-enter the plugin and multiply until they time out);
- every port the config's leading comments and the example's README tell the operator to call
  (`curl ... localhost:PORT`, `nc ... localhost PORT`) is a listener (or the admin) of the config.

Usage: check_envoy_config.py ENVOY_YAML WASM_NAME http|network|bootstrap [UPSTREAM...]
           [--readme README.md]
"""
import re
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


LOCAL_HOSTS = ("127.0.0.1", "localhost", "0.0.0.0", "::", "::1")


def port_of(node):
    address = (node or {}).get("socket_address") or {}
    return address.get("port_value"), address.get("address")


def cluster_ports(cluster):
    """The local ports a cluster's endpoints name."""
    ports = set()
    for endpoints in (cluster.get("load_assignment") or {}).get("endpoints") or []:
        for lb in endpoints.get("lb_endpoints") or []:
            port, host = port_of((lb.get("endpoint") or {}).get("address"))
            if host in LOCAL_HOSTS:
                ports.add(port)
    return ports


def called_ports(text):
    """Ports an operator is told to call: `curl ... localhost:PORT` and `nc ... localhost PORT`
    command lines on local hosts (other addresses in the text are upstreams to run)."""
    ports = set()
    for line in text.splitlines():
        if re.search(r"\bcurl\b", line):
            ports |= {int(p) for p in re.findall(r"(?:localhost|127\.0\.0\.1):(\d+)", line)}
        if re.search(r"\bnc\b", line):
            ports |= {int(p) for p in re.findall(r"\bnc\b[^|]*?(?:localhost|127\.0\.0\.1)\s+(\d+)", line)}
    return ports


def leading_comments(text):
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def check_runs(config, text, readme, loads, upstreams, wasm_name, errors):
    listeners = config["static_resources"].get("listeners") or []
    clusters = {c.get("name"): c for c in config["static_resources"].get("clusters") or []}
    for upstream in upstreams:
        for port in cluster_ports(clusters.get(upstream) or {}):
            for listener in listeners:
                if port_of(listener.get("address"))[0] == port and \
                        any(loads(node) for node in walk(listener)):
                    errors.append(f"cluster {upstream!r} resolves to listener "
                                  f"{listener.get('name')!r} (port {port}), which runs "
                                  f"{wasm_name} itself: every callout would re-enter the plugin")
    served = {port_of(l.get("address"))[0] for l in listeners}
    served.add(port_of((config.get("admin") or {}).get("address"))[0])
    told = [(leading_comments(text), "its comments")]
    if readme:
        with open(readme) as f:
            told.append((f.read(), readme))
    for words, where in told:
        for port in sorted(called_ports(words) - served):
            errors.append(f"{where} call port {port}, which is no listener of the config "
                          f"(listeners: {sorted(p for p in served if p)})")


def main(argv):
    readme = None
    if "--readme" in argv:
        at = argv.index("--readme")
        readme = argv[at + 1]
        argv = argv[:at] + argv[at + 2:]
    path, wasm_name, kind, upstreams = argv[1], argv[2], argv[3], argv[4:]
    errors = []
    with open(path) as f:
        text = f.read()
    config = yaml.safe_load(text)
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
    check_runs(config, text, readme, loads, upstreams, wasm_name, errors)
    for error in errors:
        print(f"FAIL: {path}: {error}")
    if not errors:
        print(f"PASS: {path} loads {wasm_name} and defines clusters {sorted(upstreams)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
