"""The deploy checks refuse what they should: a WasmPlugin Istio would reject, a pluginConfig
that is not envoy.yaml's, a stale sha256, an envoy.yaml whose callouts re-enter the plugin or
whose README calls a port nothing listens on; and pluginConfig is serialized as istiod does."""

import contextlib
import hashlib
import io
import os
import re
import sys
import tempfile
import unittest

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import check_envoy_config  # noqa: E402
import check_wasmplugin  # noqa: E402
import envoy_configurations  # noqa: E402
import fill_sha256  # noqa: E402
import wasmplugin_schema  # noqa: E402


def wasmplugin(**spec):
    base = {"selector": {"matchLabels": {"istio": "ingressgateway"}},
            "url": "oci://registry.example.com/coproxy/hello:v1", "phase": "AUTHN",
            "priority": 10, "imagePullPolicy": "IfNotPresent"}
    base.update(spec)
    return {"apiVersion": "extensions.istio.io/v1alpha1", "kind": "WasmPlugin",
            "metadata": {"name": "hello", "namespace": "istio-system"},
            "spec": {k: v for k, v in base.items() if v is not None}}


ENVOY = """# hello: curl -i localhost:10000/
static_resources:
  listeners:
    - name: main
      address:
        socket_address: {address: 0.0.0.0, port_value: 10000}
      filter_chains:
        - filters:
            - name: envoy.filters.http.wasm
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm
                config:
                  configuration:
                    "@type": type.googleapis.com/google.protobuf.StringValue
                    value: '{"b": 1, "a": "x"}'
                  vm_config:
                    runtime: envoy.wasm.runtime.v8
                    code:
                      local: {filename: bazel-bin/examples/hello/hello.wasm}
                      # remote:
                      #   http_uri: {uri: "https://plugins.example.com/hello.wasm", cluster: p, timeout: 10s}
                      #   sha256: "filled in by the build"
  clusters:
    - name: auth
      load_assignment:
        cluster_name: auth
        endpoints:
          - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: {address: 127.0.0.1, port_value: AUTH_PORT}
"""

WASMPLUGIN = """apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata:
  name: hello
spec:
  url: oci://registry.example.com/coproxy/hello:v1
  pluginConfig:
    a: x
    b: 1
"""


class Files:
    def __init__(self):
        self.dir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))

    def write(self, name, data):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        return path


def quietly(function, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = function(*args)
    return code, out.getvalue()


class SchemaTest(unittest.TestCase):
    def test_a_valid_wasmplugin_passes(self):
        self.assertEqual(wasmplugin_schema.validate(wasmplugin(
            sha256="ab" * 32, type="NETWORK", failStrategy="FAIL_OPEN", pluginConfig={"a": [1]},
            match=[{"mode": "SERVER", "ports": [{"number": 8080}]}],
            vmConfig={"env": [{"name": "A", "valueFrom": "HOST"}]})), [])

    def test_what_istio_rejects_is_rejected(self):
        cases = {
            "unknown field 'phases'": wasmplugin(phases="AUTHN"),
            "'AUTHENTICATION' is not a PluginPhase": wasmplugin(phase="AUTHENTICATION"),
            "'Never' is not a PullPolicy": wasmplugin(imagePullPolicy="Never"),
            "'TCP' is not a PluginType": wasmplugin(type="TCP"),
            "does not match": wasmplugin(sha256="AB" * 32),
            "only one of targetRefs or selector": wasmplugin(targetRefs=[{"kind": "Gateway",
                                                                         "name": "gw"}]),
            "url must have schema": wasmplugin(url="ftp://example.com/x.wasm"),
            "WasmPlugin.url is required": wasmplugin(url=None),
            "want an integer": wasmplugin(priority="high"),
            "value may only be set when valueFrom is INLINE": wasmplugin(
                vmConfig={"env": [{"name": "A", "valueFrom": "HOST", "value": "x"}]}),
            "want an integer in [1, 65535]": wasmplugin(match=[{"ports": [{"number": 0}]}]),
            "want an object": wasmplugin(pluginConfig="a=b"),
        }
        for expected, document in cases.items():
            with self.subTest(expected):
                errors = wasmplugin_schema.validate(document)
                self.assertTrue(any(expected in e for e in errors), errors)


class IstioJsonTest(unittest.TestCase):
    def test_as_istiod_serializes_a_struct(self):
        self.assertEqual(envoy_configurations.istio_json(
            {"b": [5, 0.5, 1e21, 1e-7, 100000000], "a": {"z": True, "y": None}, "c": "<&>"}),
            '{"a":{"y":null,"z":true},"b":[5,0.5,1e+21,1e-7,100000000],'
            '"c":"\\u003c\\u0026\\u003e"}')


class CheckWasmPluginTest(unittest.TestCase):
    def setUp(self):
        self.files = Files()
        self.module = self.files.write("hello.wasm", b"\0asm\1\0\0\0")
        self.digest = self.files.write("hello_image.digest", "sha256:" + "cd" * 32 + "\n")

    def run_check(self, envoy=ENVOY, plugin=WASMPLUGIN):
        envoy_path = self.files.write("src/envoy.yaml", envoy)
        plugin_path = self.files.write("src/wasmplugin.yaml", plugin)
        deployed = [os.path.join(self.files.dir, "deploy", n) for n in ("envoy.yaml", "wasmplugin.yaml")]
        os.makedirs(os.path.dirname(deployed[0]), exist_ok=True)
        code, out = quietly(fill_sha256.main, ["--image", self.module, self.digest,
                                               "--fill", envoy_path, deployed[0],
                                               "--fill", plugin_path, deployed[1]])
        self.assertEqual(code, 0, out)
        return quietly(check_wasmplugin.main, ["--sources", envoy_path, plugin_path, "--deployed",
                                               *deployed, "--module", self.module, self.digest])

    def test_a_matching_pair_passes(self):
        code, out = self.run_check()
        self.assertEqual(code, 0, out)
        with open(os.path.join(self.files.dir, "deploy", "envoy.yaml")) as f:
            self.assertIn("sha256: " + hashlib.sha256(b"\0asm\1\0\0\0").hexdigest(), f.read())

    def test_a_different_plugin_config_fails(self):
        code, out = self.run_check(plugin=WASMPLUGIN.replace("b: 1", "b: 2"))
        self.assertEqual(code, 1)
        self.assertIn("is not the configuration envoy.yaml gives hello", out)

    def test_a_network_filter_must_say_so(self):
        code, out = self.run_check(envoy=ENVOY.replace("filters.http.wasm", "filters.network.wasm"))
        self.assertEqual(code, 1)
        self.assertIn("as envoy.filters.network.wasm", out)

    def test_a_missing_remote_variant_fails(self):
        envoy = "\n".join(l for l in ENVOY.splitlines() if "#   " not in l and "# remote" not in l)
        code, out = self.run_check(envoy=envoy)
        self.assertEqual(code, 1)
        self.assertIn("has no commented remote variant", out)

    def test_a_source_that_pins_its_own_sha256_is_refused(self):
        plugin = WASMPLUGIN.replace("  pluginConfig:", "  sha256: " + "ab" * 32 + "\n  pluginConfig:")
        path = self.files.write("pinned/wasmplugin.yaml", plugin)
        code, out = quietly(fill_sha256.main, ["--image", self.module, self.digest,
                                               "--fill", path, path + ".out"])
        self.assertEqual(code, 1)
        self.assertIn("has a sha256 of its own", out)
        self.assertFalse(os.path.exists(path + ".out"))

    def test_an_image_not_given_is_an_error(self):
        path = self.files.write("other/wasmplugin.yaml", WASMPLUGIN.replace("hello:v1", "other:v1"))
        code, out = quietly(fill_sha256.main, ["--image", self.module, self.digest,
                                               "--fill", path, path + ".out"])
        self.assertEqual(code, 1)
        self.assertIn("no image of other.wasm", out)


class CheckEnvoyConfigTest(unittest.TestCase):
    def check(self, envoy, readme=None, upstreams=()):
        files = Files()
        args = ["check", files.write("envoy.yaml", envoy), "hello.wasm", "http", *upstreams]
        if readme:
            args += ["--readme", files.write("README.md", readme)]
        return quietly(check_envoy_config.main, args)

    def test_a_callout_into_the_same_plugin_fails(self):
        code, out = self.check(ENVOY.replace("AUTH_PORT", "10000"), upstreams=["auth"])
        self.assertEqual(code, 1)
        self.assertIn("resolves to listener 'main' (port 10000), which runs hello.wasm", out)
        code, out = self.check(ENVOY.replace("AUTH_PORT", "10001"), upstreams=["auth"])
        self.assertEqual(code, 0, out)

    def test_a_port_nothing_listens_on_fails(self):
        envoy = ENVOY.replace("AUTH_PORT", "10001")
        code, out = self.check(envoy, readme="curl -i localhost:8080/\necho x | nc -q1 localhost 9000\n")
        self.assertEqual(code, 1)
        self.assertIn("call port 8080", out)
        self.assertIn("call port 9000", out)
        code, out = self.check(envoy.replace("localhost:10000", "localhost:10002"))
        self.assertIn("its comments call port 10002", out)


DOCS = []  # docs/deploy.md, from the command line


class DocSamplesTest(unittest.TestCase):
    def test_every_yaml_sample_parses_and_every_wasmplugin_is_valid(self):
        with open(DOCS[0]) as f:
            blocks = re.findall(r"^```yaml\n(.*?)^```", f.read(), re.M | re.S)
        self.assertGreaterEqual(len(blocks), 3)
        plugins = 0
        for block in blocks:
            document = yaml.safe_load(block)
            if isinstance(document, dict) and document.get("kind") == "WasmPlugin":
                plugins += 1
                self.assertEqual(wasmplugin_schema.validate(document), [], block)
        self.assertEqual(plugins, 1)


if __name__ == "__main__":
    DOCS.extend(sys.argv[1:])
    unittest.main(argv=sys.argv[:1], verbosity=2)
