"""Every example's Wasm OCI image through a real registry (docs/deploy.md): the CNCF distribution
registry (Debian's docker-registry) started on 127.0.0.1 by this test and stopped by it; skopeo
pushes each image and pulls it back; tools/wasm_oci_pull.py, written the way Istio's agent pulls
(manifest -> digest -> layer -> plugin.wasm), gets back a module byte-identical to the built one.
And the failures an operator meets: a wrong tag, a registry that is down, a corrupted layer, a
pinned sha256 that does not match -- each a clear error with nothing written.

    registry_test.py MODULE.wasm IMAGE_FILES... [MODULE.wasm IMAGE_FILES...]...
"""

import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import wasm_oci_image  # noqa: E402
import wasm_oci_pull  # noqa: E402

IMAGES = {}  # module name -> {"wasm": path, "layout": dir, "archive": tar, "digest": file}


def parse_images(argv):
    current = None
    for arg in argv:
        if arg.endswith(".wasm"):
            current = os.path.basename(arg).removesuffix(".wasm")
            IMAGES[current] = {"wasm": arg}
        elif arg.endswith(".digest"):
            IMAGES[current]["digest"] = arg
        elif arg.endswith(".tar"):
            IMAGES[current]["archive"] = arg
        else:
            IMAGES[current]["layout"] = arg


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Registry:
    """docker-registry serving a fresh directory on 127.0.0.1."""

    def __init__(self, root):
        binary = shutil.which("docker-registry")
        if not binary:
            raise AssertionError("docker-registry is not installed: run tools/setup.sh")
        self.storage = os.path.join(root, "storage")
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        config = os.path.join(root, "registry.yml")
        with open(config, "w") as f:
            f.write(f"version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
                    f"storage:\n  filesystem:\n    rootdirectory: {self.storage}\n"
                    f"http:\n  addr: {self.address}\n")
        self.log = open(os.path.join(root, "registry.log"), "w+")
        self.process = subprocess.Popen([binary, "serve", config], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://{self.address}/v2/", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.log.seek(0)
                    raise AssertionError(f"docker-registry did not start: {self.log.read()}")
                time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()

    def blob_file(self, digest):
        hex_digest = digest.split(":", 1)[1]
        return os.path.join(self.storage, "docker/registry/v2/blobs/sha256", hex_digest[:2],
                            hex_digest, "data")


def skopeo(*args):
    # skopeo unpacks archives under /var/tmp unless told (read-only in Bazel's sandbox).
    scratch = os.environ.get("TEST_TMPDIR", tempfile.gettempdir())
    return subprocess.run(["skopeo", "--insecure-policy", "--tmpdir", scratch, *args],
                          capture_output=True, text=True, timeout=120)


class RegistryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        cls.registry = Registry(cls.root)

    @classmethod
    def tearDownClass(cls):
        cls.registry.stop()

    def push(self, source, repository):
        # --preserve-digests: as built (skopeo would otherwise gzip an uncompressed layer).
        result = skopeo("copy", "--preserve-digests", "--dest-tls-verify=false", source,
                        f"docker://{self.registry.address}/{repository}")
        self.assertEqual(result.returncode, 0, result.stderr)

    def pull(self, reference, out, sha256=None):
        return wasm_oci_pull.pull(f"{self.registry.address}/{reference}", sha256, plain_http=True)

    def test_every_example_image_round_trips_byte_identical(self):
        self.assertGreater(len(IMAGES), 30)
        timings = []
        for name, image in sorted(IMAGES.items()):
            with self.subTest(name):
                module = read(image["wasm"])
                digest = read(image["digest"]).decode().strip()
                started = time.monotonic()
                self.push(f"oci:{image['layout']}:latest", f"coproxy/{name}:v1")
                pulled, pulled_digest = self.pull(f"coproxy/{name}:v1", None,
                                                  digest.removeprefix("sha256:"))
                timings.append((time.monotonic() - started, name))
                self.assertEqual(pulled, module, f"{name}: the pulled plugin.wasm differs")
                self.assertEqual(pulled_digest, digest)
                # skopeo pulls it back too, to a layout whose manifest is the built one.
                back = os.path.join(self.root, "back", name)
                os.makedirs(os.path.dirname(back), exist_ok=True)
                result = skopeo("copy", "--src-tls-verify=false",
                                f"docker://{self.registry.address}/coproxy/{name}:v1",
                                f"oci:{back}:v1")
                self.assertEqual(result.returncode, 0, result.stderr)
                index = json.loads(read(os.path.join(back, "index.json")))
                self.assertEqual(index["manifests"][0]["digest"], digest)
        hello = [t for t, n in timings if n == "hello"]
        print(f"push+pull of {len(timings)} images: {sum(t for t, _ in timings):.2f} s; "
              f"hello: {hello[0] if hello else float('nan'):.3f} s "
              f"({read(IMAGES['hello']['digest']).decode().strip() if 'hello' in IMAGES else ''})")

    def test_the_archive_pushes_as_the_same_image(self):
        image = IMAGES["hello"]
        self.push(f"oci-archive:{image['archive']}:latest", "coproxy/hello-archive:v1")
        _, digest = self.pull("coproxy/hello-archive:v1", None)
        self.assertEqual(digest, read(image["digest"]).decode().strip())

    def test_the_image_is_reproducible(self):
        for name in ("hello", "http_auth"):
            blobs, digest, _ = wasm_oci_image.build_image(read(IMAGES[name]["wasm"]))
            again, digest_again, _ = wasm_oci_image.build_image(read(IMAGES[name]["wasm"]))
            self.assertEqual(blobs, again)
            self.assertEqual(digest, digest_again)
            self.assertEqual(digest, read(IMAGES[name]["digest"]).decode().strip())

    def expect_pull_error(self, reference, words, sha256=None):
        out = os.path.join(self.root, "out.wasm")
        with open(out, "wb") as f:
            f.write(b"the module from before")
        result = subprocess.run(
            [sys.executable, wasm_oci_pull.__file__, reference, out, "--plain-http"] +
            (["--sha256", sha256] if sha256 else []), capture_output=True, text=True)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        for word in words:
            self.assertIn(word, result.stderr)
        self.assertEqual(read(out), b"the module from before", "a failed pull wrote the output")
        self.assertEqual([f for f in os.listdir(self.root) if f.startswith(".pull-")], [])

    def test_a_wrong_tag_is_named(self):
        self.push(f"oci:{IMAGES['hello']['layout']}:latest", "coproxy/hello:v1")
        self.expect_pull_error(f"{self.registry.address}/coproxy/hello:v2",
                               ["image coproxy/hello:v2 not found", "HTTP 404", "MANIFEST_UNKNOWN"])
        self.expect_pull_error(f"{self.registry.address}/coproxy/nothing:v1",
                               ["image coproxy/nothing:v1 not found"])

    def test_a_registry_that_is_down(self):
        down = f"127.0.0.1:{free_port()}"
        self.expect_pull_error(f"{down}/coproxy/hello:v1",
                               [f"registry {down} is not reachable", "refused"])
        result = skopeo("inspect", "--tls-verify=false", f"docker://{down}/coproxy/hello:v1")
        self.assertNotEqual(result.returncode, 0)

    def test_a_pinned_sha256_that_does_not_match(self):
        self.push(f"oci:{IMAGES['hello']['layout']}:latest", "coproxy/hello:v1")
        wrong = hashlib.sha256(b"another image").hexdigest()
        self.expect_pull_error(f"{self.registry.address}/coproxy/hello:v1",
                               ["does not match sha256 " + wrong], sha256=wrong)

    def push_manifest(self, repository, layers, config=b"{}"):
        """An image of the given (media type, bytes) layers, pushed from a layout of its own."""
        blobs = {wasm_oci_image.digest_of(config): config}
        descriptors = []
        for media_type, data in layers:
            blobs[wasm_oci_image.digest_of(data)] = data
            descriptors.append({"mediaType": media_type, "digest": wasm_oci_image.digest_of(data),
                                "size": len(data)})
        manifest = wasm_oci_image.canonical_json({
            "schemaVersion": 2, "mediaType": wasm_oci_image.MANIFEST_TYPE, "layers": descriptors,
            "config": {"mediaType": wasm_oci_image.CONFIG_TYPE,
                       "digest": wasm_oci_image.digest_of(config), "size": len(config)}})
        blobs[wasm_oci_image.digest_of(manifest)] = manifest
        layout = os.path.join(self.root, "layout-" + repository.replace("/", "-"))
        wasm_oci_image.write_layout(wasm_oci_image.layout_files(
            blobs, wasm_oci_image.digest_of(manifest), len(manifest), "latest"), layout)
        self.push(f"oci:{layout}:latest", repository + ":v1")

    def test_the_oci_variant_is_read_too(self):
        module = read(IMAGES["hello"]["wasm"])
        self.push_manifest("coproxy/oci-variant", [
            ("application/vnd.module.wasm.config.v1+json", b'{"type":"envoy_proxy"}'),
            (wasm_oci_pull.WASM_LAYER_TYPE, module)])
        pulled, _ = self.pull("coproxy/oci-variant:v1", None)
        self.assertEqual(pulled, module)

    def test_an_image_that_is_no_wasm_image_is_refused(self):
        tar = wasm_oci_image.layer_tar(read(IMAGES["hello"]["wasm"]))
        self.push_manifest("coproxy/uncompressed", [("application/vnd.oci.image.layer.v1.tar", tar)])
        self.expect_pull_error(f"{self.registry.address}/coproxy/uncompressed:v1",
                               ["is not a Wasm image", "application/vnd.oci.image.layer.v1.tar"])
        other = io.BytesIO()
        with tarfile.open(fileobj=other, mode="w") as tar:
            info = tarfile.TarInfo("filter.wasm")
            info.size = 8
            tar.addfile(info, io.BytesIO(b"\0asm\1\0\0\0"))
        self.push_manifest("coproxy/no-plugin",
                           [(wasm_oci_image.LAYER_TYPE, wasm_oci_image.gzipped(other.getvalue()))])
        self.expect_pull_error(f"{self.registry.address}/coproxy/no-plugin:v1",
                               ["the layer holds no plugin.wasm"])

    def test_a_corrupted_layer_is_refused(self):
        # An image of its own (a module with one more custom section), so that corrupting its
        # layer in the registry's storage touches no other test's image.
        module = read(IMAGES["hello"]["wasm"]) + b"\x00\x08\x07corrupt"
        blobs, digest, size = wasm_oci_image.build_image(module)
        layout = os.path.join(self.root, "corrupt-layout")
        wasm_oci_image.write_layout(wasm_oci_image.layout_files(blobs, digest, size, "latest"),
                                    layout)
        self.push(f"oci:{layout}:latest", "coproxy/corrupt:v1")
        manifest = json.loads(blobs[digest])
        layer = manifest["layers"][0]["digest"]
        stored = self.registry.blob_file(layer)
        data = bytearray(read(stored))
        data[len(data) // 2] ^= 0xFF
        with open(stored, "wb") as f:
            f.write(data)
        self.expect_pull_error(f"{self.registry.address}/coproxy/corrupt:v1",
                               [f"layer {layer}", "is corrupt", "hashes to"])
        result = skopeo("copy", "--src-tls-verify=false",
                        f"docker://{self.registry.address}/coproxy/corrupt:v1",
                        f"oci:{os.path.join(self.root, 'corrupt-back')}:v1")
        self.assertNotEqual(result.returncode, 0, "skopeo took a corrupted layer")


if __name__ == "__main__":
    parse_images(sys.argv[1:])
    unittest.main(argv=sys.argv[:1], verbosity=2)
