"""Fills in the sha256s of an example's deploy configurations (bazel/deploy.bzl):

    fill_sha256.py --image MODULE.wasm IMAGE.digest ... --fill SOURCE OUT ...

- envoy.yaml: the commented remote variant under each `local: {filename: .../X.wasm}` gets
  `sha256: <sha256 of X.wasm>` (what Envoy checks the fetched module against);
- wasmplugin.yaml: each `url: oci://.../X:TAG` gets a `sha256: <X's image digest>` line after it
  (Istio compares an oci:// plugin's sha256 with the image manifest's digest).

A module or image named in a configuration but not given is an error: nothing is written.
"""

import hashlib
import os
import re
import sys

LOCAL = re.compile(r"local:\s*\{filename:\s*\S*?([\w.-]+)\.wasm\}")
REMOTE_SHA256 = re.compile(r"^(\s*#\s*)sha256:.*$")
OCI_URL = re.compile(r"^(\s*)url:\s*[\"']?oci://[^\s\"']*/([\w.-]+?)(?::[\w][\w.-]*)?[\"']?\s*(#.*)?$")


def fill_envoy(text, modules, path):
    lines, current = [], None
    for line in text.splitlines():
        local = LOCAL.search(line)
        if local:
            current = local.group(1)
        remote = REMOTE_SHA256.match(line)
        if remote and current is not None:
            if current not in modules:
                raise ValueError(f"{path}: no module {current}.wasm was given")
            line = f"{remote.group(1)}sha256: {modules[current]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def fill_wasmplugin(text, images, path):
    lines = []
    for line in text.splitlines():
        if re.match(r"^\s*sha256:", line):
            raise ValueError(f"{path}: has a sha256 of its own; the build fills it in")
        lines.append(line)
        url = OCI_URL.match(line)
        if url:
            indent, name = url.group(1), url.group(2)
            if name not in images:
                raise ValueError(f"{path}: no image of {name}.wasm was given")
            lines.append(f"{indent}sha256: {images[name]}  # the image's digest (filled in by the build)")
    return "\n".join(lines) + "\n"


def main(argv):
    modules, images, fills = {}, {}, []
    i = 0
    while i < len(argv):
        if argv[i] == "--image":
            module, digest_file = argv[i + 1], argv[i + 2]
            name = os.path.basename(module).removesuffix(".wasm")
            with open(module, "rb") as f:
                modules[name] = hashlib.sha256(f.read()).hexdigest()
            with open(digest_file) as f:
                images[name] = f.read().strip().removeprefix("sha256:")
            i += 3
        elif argv[i] == "--fill":
            fills.append((argv[i + 1], argv[i + 2]))
            i += 3
        else:
            print(f"fill_sha256: unknown argument {argv[i]}", file=sys.stderr)
            return 2
    outputs = []
    try:
        for source, out in fills:
            with open(source) as f:
                text = f.read()
            if os.path.basename(source).startswith("wasmplugin"):
                outputs.append((out, fill_wasmplugin(text, images, source)))
            else:
                outputs.append((out, fill_envoy(text, modules, source)))
    except ValueError as error:
        print(f"fill_sha256: {error}", file=sys.stderr)
        return 1
    for out, text in outputs:
        with open(out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
