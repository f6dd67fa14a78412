"""The version a user reads from a built plugin is the SDK's: the custom section coproxy_version
of each module given equals COPROXY_VERSION (include/coproxy/version.h), which is the newest
release CHANGELOG.md lists.

    version_test.py VERSION_H CHANGELOG_MD MODULE.wasm...
"""

import re
import sys


def leb128(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def custom_sections(path):
    data = open(path, "rb").read()
    assert data[:4] == b"\0asm", "%s is not a wasm module" % path
    at, sections = 8, {}
    while at < len(data):
        kind = data[at]
        size, at = leb128(data, at + 1)
        end = at + size
        if kind == 0:
            length, name_at = leb128(data, at)
            name = data[name_at:name_at + length].decode()
            sections[name] = data[name_at + length:end]
        at = end
    return sections


def main():
    version_h, changelog, modules = sys.argv[1], sys.argv[2], sys.argv[3:]
    version = re.search(r'#define COPROXY_VERSION "([^"]+)"', open(version_h).read()).group(1)
    released = re.search(r"^## \[?(\d+\.\d+\.\d+)\]?", open(changelog).read(), re.M)
    failures = []
    if not released or released.group(1) != version:
        failures.append("CHANGELOG.md's newest release is %s, COPROXY_VERSION is %s" % (
            released.group(1) if released else "missing", version))
    for module in modules:
        found = custom_sections(module).get("coproxy_version")
        if found != version.encode():
            failures.append("%s: coproxy_version is %r, expected %r" % (module, found, version))
        else:
            print("%s: coproxy_version %s" % (module, version))
    for failure in failures:
        print("FAIL: " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
