"""Pulls a Wasm plugin from a registry the way Istio's agent does (istio/istio pkg/wasm:
imagefetcher.go, cache.go; docs/design-notes.md, "Wasm OCI images"), to check what a mesh would
get: manifest -> its digest -> the layer -> plugin.wasm.

    wasm_oci_pull.py REGISTRY/REPOSITORY[:TAG|@sha256:HEX] OUT.wasm [--sha256 HEX] [--plain-http]

--sha256 is a WasmPlugin's `sha256`: for an OCI image, the manifest's digest (checked before
any layer is fetched, as Istio does). Both variants are read: "compat" (the last layer a
tar+gzip holding plugin.wasm) and "oci" (two layers, one of media type application/vnd.module.
wasm.content.layer.v1+wasm: the module itself). Every blob is checked against the digest its
descriptor gives, as go-containerregistry does under Istio's fetcher.

Nothing is half-written: OUT.wasm appears (atomically, by rename) only when every check
passed; on an error it is left as it was and the one-line reason goes to stderr, exit 1.
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request

WASM_MAGIC = b"\0asm"
MANIFEST_TYPES = (
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
COMPAT_LAYER_TYPES = (
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
)
WASM_LAYER_TYPE = "application/vnd.module.wasm.content.layer.v1+wasm"
MODULE_FILE = "plugin.wasm"
# The largest module read, as a bound on what a corrupt or hostile layer can make us hold.
MAX_MODULE_BYTES = 256 << 20


class PullError(Exception):
    pass


def parse_reference(reference):
    """REGISTRY/REPOSITORY[:TAG|@sha256:HEX] -> (registry, repository, tag or digest)."""
    match = re.fullmatch(r"(?:oci://)?([^/]+)/([^:@]+)(?::([\w][\w.-]{0,127})|@(sha256:[0-9a-f]{64}))?",
                         reference)
    if not match:
        raise PullError(f"{reference!r} is not REGISTRY/REPOSITORY[:TAG|@sha256:HEX]")
    registry, repository, tag, digest = match.groups()
    return registry, repository, digest or tag or "latest"


class Registry:
    """The distribution API v2, read-only, anonymous."""

    def __init__(self, registry, plain_http):
        self.registry = registry
        self.base = ("http://" if plain_http else "https://") + registry + "/v2/"

    def get(self, path, accept=None, what=""):
        request = urllib.request.Request(self.base + path)
        if accept:
            request.add_header("Accept", ", ".join(accept))
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read(MAX_MODULE_BYTES + 1), response.headers
        except urllib.error.HTTPError as error:
            detail = ""
            try:
                errors = json.loads(error.read() or b"{}").get("errors") or []
                detail = ": " + ", ".join(e.get("code", "") for e in errors) if errors else ""
            except ValueError:
                pass
            raise PullError(f"{what} not found in registry {self.registry} "
                            f"(HTTP {error.code}{detail})") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise PullError(f"registry {self.registry} is not reachable: {reason}") from None


def checked(blob, digest, what):
    actual = "sha256:" + hashlib.sha256(blob).hexdigest()
    if actual != digest:
        raise PullError(f"{what} is corrupt: its content hashes to {actual}, "
                        f"its descriptor says {digest}")
    return blob


def module_from_tar_gzip(layer):
    """plugin.wasm from a compat layer (a tar, gzipped): the first entry of that base name, in
    any directory, as imagefetcher.go's extractWasmPluginBinary takes it."""
    try:
        tar = tarfile.open(fileobj=io.BytesIO(gzip.decompress(layer)), mode="r:")
        for member in tar:
            if os.path.basename(member.name) == MODULE_FILE:
                file = tar.extractfile(member) if member.isfile() else None
                return file.read() if file else b""
    except (OSError, EOFError, tarfile.TarError) as error:
        raise PullError(f"the layer is not a gzipped tar: {error}") from None
    raise PullError(f"the layer holds no {MODULE_FILE}")


def pull(reference, expected_sha256=None, plain_http=False):
    registry_name, repository, tag = parse_reference(reference)
    registry = Registry(registry_name, plain_http)
    manifest_bytes, headers = registry.get(f"{repository}/manifests/{tag}", MANIFEST_TYPES,
                                           what=f"image {repository}:{tag}")
    manifest_digest = "sha256:" + hashlib.sha256(manifest_bytes).hexdigest()
    if tag.startswith("sha256:") and tag != manifest_digest:
        raise PullError(f"manifest of {repository}@{tag} hashes to {manifest_digest}")
    if expected_sha256 and manifest_digest != "sha256:" + expected_sha256:
        raise PullError(f"image {repository}:{tag} has digest {manifest_digest}, "
                        f"which does not match sha256 {expected_sha256}")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise PullError(f"manifest of {repository}:{tag} is not JSON") from None
    media_type = manifest.get("mediaType") or headers.get("Content-Type", "")
    if media_type not in MANIFEST_TYPES:
        raise PullError(f"manifest of {repository}:{tag} has media type {media_type!r}, "
                        f"not an image manifest")
    # As imagefetcher.go decides: a Docker manifest's last layer must be a Docker gzip layer;
    # otherwise the last layer an OCI gzip one (compat), or two layers, one of them the raw
    # module (the "oci" variant).
    layers = manifest.get("layers") or []
    docker = media_type == MANIFEST_TYPES[1]
    compat_type = COMPAT_LAYER_TYPES[1] if docker else COMPAT_LAYER_TYPES[0]
    wasm_layers = [l for l in layers if l.get("mediaType") == WASM_LAYER_TYPE]
    if layers and layers[-1].get("mediaType") == compat_type:
        layer = layers[-1]
    elif not docker and len(layers) == 2 and wasm_layers:
        layer = wasm_layers[0]
    else:
        raise PullError(f"image {repository}:{tag} is not a Wasm image: want its last layer "
                        f"of type {compat_type}" + ("" if docker else f", or two layers, one "
                        f"{WASM_LAYER_TYPE}") + f"; got {[l.get('mediaType') for l in layers]}")
    digest = layer.get("digest", "")
    blob, _ = registry.get(f"{repository}/blobs/{digest}", what=f"layer {digest}")
    checked(blob, digest, f"layer {digest} of {repository}:{tag}")
    module = blob if layer["mediaType"] == WASM_LAYER_TYPE else module_from_tar_gzip(blob)
    if len(module) > MAX_MODULE_BYTES or not module.startswith(WASM_MAGIC):
        raise PullError(f"{MODULE_FILE} of {repository}:{tag} is not a WebAssembly module")
    return module, manifest_digest


def write_atomically(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".pull-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference")
    parser.add_argument("out")
    parser.add_argument("--sha256", help="the image's manifest digest, hex (WasmPlugin.sha256)")
    parser.add_argument("--plain-http", action="store_true", help="http, not https")
    args = parser.parse_args(argv)
    try:
        module, digest = pull(args.reference, args.sha256, args.plain_http)
    except PullError as error:
        print(f"wasm_oci_pull: {args.reference}: {error}", file=sys.stderr)
        return 1
    write_atomically(args.out, module)
    print(f"{args.reference}: {digest}, {MODULE_FILE} {len(module)} bytes "
          f"sha256:{hashlib.sha256(module).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
