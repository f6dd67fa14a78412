"""Packs a plugin's .wasm as a Wasm OCI image, "compat" variant: the image Istio's agent and
Envoy Gateway pull for `oci://` URLs (docs/deploy.md; the format: docs/design-notes.md,
"Wasm OCI images").

    wasm_oci_image.py --wasm hello.wasm --layout OUT_DIR --archive OUT.tar \
        [--tag latest] [--digest OUT.digest] [--source URL]

The image is one layer, a gzipped tar holding `plugin.wasm`, with an OCI image config and an
OCI manifest; it is written as an OCI image layout (`OUT_DIR`: oci-layout, index.json,
blobs/sha256/...) and as the same layout in a tar (`OUT.tar`, for `skopeo copy
oci-archive:OUT.tar:TAG ...`). `OUT.digest` gets the manifest's digest (`sha256:...`), which is
what Istio's `WasmPlugin.sha256` is compared with.

Reproducible: no time stamps, owners or host names go into any blob (tar and gzip headers
included), so the same .wasm gives the same manifest digest on every build and machine with
the same zlib.
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

WASM_MAGIC = b"\0asm"
# OCI image-spec media types (the compat variant uses only standard ones, so any registry and
# any OCI tool takes it).
MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"
CONFIG_TYPE = "application/vnd.oci.image.config.v1+json"
LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip"
# The file name Istio's fetcher looks for in the layer.
MODULE_FILE = "plugin.wasm"
# Marks the variant (solo-io/wasm spec-compat.md); Istio ignores it, readers of the image may not.
VARIANT_ANNOTATION = "module.wasm.image/variant"


def canonical_json(value):
    """Sorted keys, no spaces: the same object always gives the same bytes (and digest)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def digest_of(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def layer_tar(module):
    """A tar with one regular file, plugin.wasm, every header field fixed."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo(MODULE_FILE)
        info.size = len(module)
        info.mode = 0o444
        info.mtime = 0
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        tar.addfile(info, io.BytesIO(module))
    return out.getvalue()


def gzipped(data):
    out = io.BytesIO()
    # mtime=0 and no file name: the gzip header carries nothing of this build.
    with gzip.GzipFile(filename="", fileobj=out, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return out.getvalue()


def build_image(module, source=None):
    """The image's blobs: {digest: bytes} and the manifest's digest."""
    if not module.startswith(WASM_MAGIC):
        raise ValueError("not a WebAssembly module (no \\0asm magic)")
    tar = layer_tar(module)
    layer = gzipped(tar)
    config = canonical_json({
        "architecture": "wasm",
        "os": "wasip1",
        # diff_ids name the layer's uncompressed content (image-spec config.md).
        "rootfs": {"type": "layers", "diff_ids": [digest_of(tar)]},
        "config": {},
    })
    annotations = {VARIANT_ANNOTATION: "compat"}
    if source:
        annotations["org.opencontainers.image.source"] = source
    manifest = canonical_json({
        "schemaVersion": 2,
        "mediaType": MANIFEST_TYPE,
        "config": {"mediaType": CONFIG_TYPE, "digest": digest_of(config), "size": len(config)},
        "layers": [{
            "mediaType": LAYER_TYPE,
            "digest": digest_of(layer),
            "size": len(layer),
            "annotations": {"org.opencontainers.image.title": MODULE_FILE},
        }],
        "annotations": annotations,
    })
    blobs = {digest_of(blob): blob for blob in (layer, config, manifest)}
    return blobs, digest_of(manifest), len(manifest)


def layout_files(blobs, manifest_digest, manifest_size, tag):
    """The OCI image layout (image-spec image-layout.md) as {relative path: bytes}."""
    index = canonical_json({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": MANIFEST_TYPE,
            "digest": manifest_digest,
            "size": manifest_size,
            # skopeo's oci:DIR:TAG and oci-archive:FILE:TAG name an image by this annotation.
            "annotations": {"org.opencontainers.image.ref.name": tag},
        }],
    })
    files = {"oci-layout": canonical_json({"imageLayoutVersion": "1.0.0"}), "index.json": index}
    for digest, blob in blobs.items():
        files["blobs/sha256/" + digest.split(":", 1)[1]] = blob
    return files


def write_layout(files, directory):
    for path, data in files.items():
        full = os.path.join(directory, path)
        os.makedirs(os.path.dirname(full) or directory, exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)


def write_archive(files, path):
    """The layout as a tar, directories first, sorted, every header fixed."""
    directories = sorted({os.path.dirname(p) for p in files if os.path.dirname(p)} |
                         {"blobs"})
    with tarfile.open(path, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name in directories:
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
            tar.addfile(info)
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(files[name]), 0o444, 0
            tar.addfile(info, io.BytesIO(files[name]))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wasm", required=True)
    parser.add_argument("--layout", help="the OCI image layout directory to write")
    parser.add_argument("--archive", help="the layout as a tar file")
    parser.add_argument("--digest", help="a file to write the manifest's digest to")
    parser.add_argument("--tag", default="latest")
    parser.add_argument("--source", help="org.opencontainers.image.source annotation")
    args = parser.parse_args(argv)
    with open(args.wasm, "rb") as f:
        module = f.read()
    try:
        blobs, manifest_digest, manifest_size = build_image(module, args.source)
    except ValueError as error:
        print(f"wasm_oci_image: {args.wasm}: {error}", file=sys.stderr)
        return 1
    files = layout_files(blobs, manifest_digest, manifest_size, args.tag)
    if args.layout:
        write_layout(files, args.layout)
    if args.archive:
        write_archive(files, args.archive)
    if args.digest:
        with open(args.digest, "w") as f:
            f.write(manifest_digest + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
