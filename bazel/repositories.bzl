"""Offline repository rules for coproxy (Bazel 4.2.3, Debian 12).

Every external repository is built from files that Debian packages install (see
tools/setup.sh); nothing is downloaded. Each rule fails with a message that names the
missing file or package instead of falling back to a download.
"""

_SETUP_HINT = "Run `sudo tools/setup.sh` to install the Debian packages coproxy builds with."

def _fail_missing(what, path, hint = _SETUP_HINT):
    fail("coproxy: %s not found at %s. %s" % (what, path, hint))

# ---------------------------------------------------------------------------
# @rules_cc: Debian's /usr/share/bazel/rules/cc mirrored file by file, with the files
# that call `use_cpp_toolchain()` (absent from Bazel 4.2.3's @bazel_tools) patched.
# ---------------------------------------------------------------------------

_USE_CPP_TOOLCHAIN_CALL = "use_cpp_toolchain()"
_CPP_TOOLCHAIN_LIST = "[\"@bazel_tools//tools/cpp:toolchain_type\"]"

def _list_dirs(rctx, root):
    # Bazel 4's repository path objects have no is_dir(); one `find` lists the
    # directories so the walk below can tell them from files.
    res = rctx.execute(["find", "-L", root, "-type", "d"])
    if res.return_code != 0:
        fail("coproxy: cannot list %s: %s" % (root, res.stderr))
    return {d: True for d in res.stdout.splitlines()}

def _patch_use_cpp_toolchain(content):
    # Drop the symbol from the load() statement, then replace the call.
    content = content.replace(", \"use_cpp_toolchain\"", "")
    content = content.replace("\"use_cpp_toolchain\", ", "")
    return content.replace(_USE_CPP_TOOLCHAIN_CALL, _CPP_TOOLCHAIN_LIST)

def _files_below(root, dirs):
    """Every file below `root` as (path, relative path); `dirs`: its directories (_list_dirs).

    Starlark has no recursion: the tree is walked with an explicit stack of
    (directory, relative path) pairs, readdir() at each level.
    """
    files = []
    stack = [(root, "")]
    for _ in range(100000):
        if not stack:
            break
        src_dir, rel = stack.pop()
        for entry in src_dir.readdir():
            rel_path = entry.basename if not rel else rel + "/" + entry.basename
            if str(entry) in dirs:
                stack.append((entry, rel_path))
            else:
                files.append((entry, rel_path))
    return files

def _mirror_tree(rctx, root, dirs, patched):
    for entry, rel_path in _files_below(root, dirs):
        if rel_path == "WORKSPACE":
            # Upstream's WORKSPACE pulls in rules_go & co. over the network; it is
            # never evaluated for an external repository, but keep it minimal anyway.
            rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
        elif entry.basename.endswith(".bzl") and _USE_CPP_TOOLCHAIN_CALL in rctx.read(entry):
            rctx.file(rel_path, _patch_use_cpp_toolchain(rctx.read(entry)), executable = False)
            patched.append(rel_path)
        else:
            rctx.symlink(entry, rel_path)

def _patched_rules_cc_impl(rctx):
    src = rctx.path(rctx.attr.path)
    if not src.exists:
        _fail_missing("rules_cc (Debian package bazel-rules-cc)", rctx.attr.path)
    patched = []
    _mirror_tree(rctx, src, _list_dirs(rctx, str(src)), patched)
    if not patched:
        # Harmless (a newer rules_cc may not need the fix), but worth knowing.
        print("coproxy: no file in %s calls use_cpp_toolchain(); nothing patched" % rctx.attr.path)

patched_rules_cc = repository_rule(
    implementation = _patched_rules_cc_impl,
    attrs = {"path": attr.string(default = "/usr/share/bazel/rules/cc")},
    local = True,
    doc = "Debian's rules_cc with use_cpp_toolchain() replaced for Bazel 4.2.3.",
)

# ---------------------------------------------------------------------------
# @remote_coverage_tools: cc_test/sh_test reference it even without coverage.
# ---------------------------------------------------------------------------

_COVERAGE_STUB = """#!/bin/sh
echo "coproxy: @remote_coverage_tools is an offline stub; 'bazel coverage' is not supported." >&2
exit 1
"""

def _coverage_tools_stub_impl(rctx):
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
    rctx.file("stub.sh", _COVERAGE_STUB, executable = True)
    rctx.file("BUILD.bazel", """package(default_visibility = ["//visibility:public"])

sh_binary(name = "coverage_report_generator", srcs = ["stub.sh"])

sh_binary(name = "lcov_merger", srcs = ["stub.sh"])
""")

coverage_tools_stub = repository_rule(
    implementation = _coverage_tools_stub_impl,
    doc = "Stub @remote_coverage_tools so that tests build offline (no `bazel coverage`).",
)

# ---------------------------------------------------------------------------
# @com_google_absl: Debian's prebuilt abseil (headers + shared libs), one target.
# ---------------------------------------------------------------------------

def _debian_absl_impl(rctx):
    include = rctx.path(rctx.attr.include_dir + "/absl")
    if not include.exists:
        _fail_missing("abseil headers (Debian package libabsl-dev)", str(include))
    pkg_config = rctx.which("pkg-config")
    if not pkg_config:
        _fail_missing("pkg-config (Debian package pkg-config)", "PATH")
    res = rctx.execute([pkg_config, "--libs"] + rctx.attr.modules)
    if res.return_code != 0:
        fail("coproxy: `pkg-config --libs %s` failed: %s%s" %
             (" ".join(rctx.attr.modules), res.stderr, _SETUP_HINT))
    linkopts = [f for f in res.stdout.replace("\n", " ").replace("\t", " ").split(" ") if f]
    # Under include/ (not the repo root): Bazel adds `-iquote external/com_google_absl`,
    # which would otherwise find "absl/..." as non-system headers and show their
    # warnings (clang-19 -Wdeprecated-builtins).
    rctx.symlink(include, "include/absl")
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
    rctx.file("BUILD.bazel", """# Generated by //bazel:repositories.bzl (debian_absl).
# Debian's abseil is built with ABSL_OPTION_USE_STD_* = 0: absl::string_view is not
# std::string_view. Native only: abseil does not build for wasm32-wasi.
package(default_visibility = ["//visibility:public"])

cc_library(
    name = "absl",
    hdrs = glob(["include/absl/**/*.h", "include/absl/**/*.inc"]),
    includes = ["include"],
    # pkg-config --libs {modules}
    linkopts = {linkopts},
    target_compatible_with = ["@platforms//os:linux"],
)
""".format(modules = " ".join(rctx.attr.modules), linkopts = repr(linkopts)))

debian_absl = repository_rule(
    implementation = _debian_absl_impl,
    attrs = {
        "include_dir": attr.string(default = "/usr/include"),
        "modules": attr.string_list(default = [
            "absl_statusor",
            "absl_status",
            "absl_flat_hash_map",
            "absl_strings",
            "absl_str_format",
            "absl_span",
        ]),
    },
    environ = ["PKG_CONFIG_PATH"],  # re-run when it changes (Bazel 7.1+: rctx.getenv)
    local = True,
    doc = "Debian's libabsl-dev as @com_google_absl//:absl (link flags from pkg-config).",
)

# ---------------------------------------------------------------------------
# @wasm_tools: wabt + binaryen binaries from the host and the wasm2c runtime.
# ---------------------------------------------------------------------------

_WASM_TOOLS = {
    "wasm-opt": "binaryen",
    "wasm2c": "wabt",
    "wasm-objdump": "wabt",
    "wasm-validate": "wabt",
}

_WASM_RT_FILES = ["wasm-rt-impl.c", "wasm-rt-impl.h", "wasm-rt.h"]

def _find_tool(rctx, name, package):
    found = rctx.which(name)
    if found:
        return found
    fallback = rctx.path("/usr/bin/" + name)
    if fallback.exists:
        return fallback
    _fail_missing("%s (Debian package %s)" % (name, package), "PATH or /usr/bin")

def _wasm_tools_impl(rctx):
    build = [
        "# Generated by //bazel:repositories.bzl (wasm_tools).",
        "package(default_visibility = [\"//visibility:public\"])",
        "",
    ]
    for tool, package in sorted(_WASM_TOOLS.items()):
        rctx.symlink(_find_tool(rctx, tool, package), "bin/" + tool)
        build.append("sh_binary(name = \"%s\", srcs = [\"bin/%s\"])\n" % (tool, tool))
    for f in _WASM_RT_FILES:
        src = rctx.path(rctx.attr.wasm2c_runtime_dir + "/" + f)
        if not src.exists:
            _fail_missing("wasm2c runtime (Debian package wabt)", str(src))
        rctx.symlink(src, "wasm_rt/" + f)
    build.append("""# Native runtime for modules translated by wasm2c (wabt 1.0.32 API).
cc_library(
    name = "wasm_rt",
    srcs = ["wasm_rt/wasm-rt-impl.c"],
    hdrs = ["wasm_rt/wasm-rt.h", "wasm_rt/wasm-rt-impl.h"],
    includes = ["wasm_rt"],
    # Explicit bounds checks instead of guard pages + a SIGSEGV handler: works under
    # AddressSanitizer, reserves no 8 GiB per instance, and traps the same way everywhere.
    defines = ["WASM_RT_MEMCHECK_SIGNAL_HANDLER=0"],
    # Debian's wabt source, not ours: its guard-page helpers are unused in this mode.
    copts = ["-Wno-unused-function"],
    linkopts = ["-lm"],
    target_compatible_with = ["@platforms//os:linux"],
)
""")
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
    rctx.file("BUILD.bazel", "\n".join(build))

wasm_tools = repository_rule(
    implementation = _wasm_tools_impl,
    attrs = {"wasm2c_runtime_dir": attr.string(default = "/usr/src/wasm2c")},
    environ = ["PATH"],  # rctx.which() depends on it (Bazel 7.1+: rctx.getenv)
    local = True,
    doc = "Host wasm tools as executable targets plus the wasm2c runtime library.",
)

# ---------------------------------------------------------------------------
# @coproxy_wasm_toolchain: paths for the wasm32-wasi cc_toolchain in
# //bazel/toolchains/wasm. Debian's clang-19 by default; a wasi-sdk when
# WASI_SDK_PATH is set.
# ---------------------------------------------------------------------------

def _exec_stdout(rctx, argv):
    res = rctx.execute(argv)
    if res.return_code != 0:
        fail("coproxy: `%s` failed (%d): %s" % (" ".join(argv), res.return_code, res.stderr))
    return res.stdout.strip()

_SDK_HINT = "Fix WASI_SDK_PATH, or unset it to use Debian's clang-19."

def _normalized(path):
    """`path` without `.` and `dir/..` steps (symlinks kept): Bazel refuses a toolchain include
    path that is not normalized, and a clang run through a wrapper may print one."""
    parts = []
    for part in path.split("/"):
        if part == "..":
            if parts and parts[-1] not in ["", ".."]:
                parts.pop()
            else:
                parts.append(part)
        elif part != "." and (part != "" or not parts):
            parts.append(part)
    return "/".join(parts) or "/"

def _first_existing(rctx, candidates, what):
    for c in candidates:
        if rctx.path(c).exists:
            return c
    _fail_missing(what, " or ".join(candidates), _SDK_HINT)

def _clang_major(rctx, clang):
    out = _exec_stdout(rctx, [clang, "--version"])
    idx = out.find("clang version ")
    if idx < 0:
        fail("coproxy: cannot parse `%s --version`: %s" % (clang, out))
    return int(out[idx + len("clang version "):].split(".")[0])

def _debian_config(rctx):
    clang = "/usr/bin/clang-19"
    llvm = "/usr/lib/llvm-19"
    for tool, package in [
        (clang, "clang-19"),
        ("/usr/bin/wasm-ld-19", "lld-19"),
        ("/usr/bin/llvm-ar-19", "llvm-19"),
        ("/usr/include/wasm32-wasi/stdlib.h", "wasi-libc"),
        ("/usr/lib/wasm32-wasi/crt1-reactor.o", "wasi-libc"),
        (llvm + "/include/wasm32-wasi/c++/v1/vector", "libc++-19-dev-wasm32"),
        (llvm + "/lib/wasm32-wasi/libc++.a", "libc++-19-dev-wasm32"),
        (llvm + "/lib/wasm32-wasi/libc++abi.a", "libc++abi-19-dev-wasm32"),
    ]:
        if not rctx.path(tool).exists:
            _fail_missing("Debian package " + package, tool)
    return struct(
        kind = "debian-clang-19",
        target = "wasm32-wasi",
        clang = clang,
        ar = "/usr/bin/llvm-ar-19",
        ld = "/usr/bin/wasm-ld-19",
        nm = llvm + "/bin/llvm-nm",
        objdump = llvm + "/bin/llvm-objdump",
        strip = llvm + "/bin/llvm-strip",
        sysroot = None,
        libcxx_include = llvm + "/include/wasm32-wasi/c++/v1",
        libc_include = "/usr/include/wasm32-wasi",
        lib_dirs = [llvm + "/lib/wasm32-wasi", "/usr/lib/wasm32-wasi"],
    )

def _wasi_sdk_config(rctx, sdk):
    sdk = sdk.rstrip("/")
    if not rctx.path(sdk).exists:
        fail("coproxy: WASI_SDK_PATH=%s does not exist. %s" % (sdk, _SDK_HINT))
    clangxx = sdk + "/bin/clang++"
    if not rctx.path(clangxx).exists:
        _fail_missing("wasi-sdk clang++ (WASI_SDK_PATH=%s)" % sdk, clangxx, _SDK_HINT)
    sysroot = sdk + "/share/wasi-sysroot"
    if not rctx.path(sysroot).exists:
        _fail_missing("wasi-sdk sysroot (WASI_SDK_PATH=%s)" % sdk, sysroot, _SDK_HINT)

    # `clang` (not clang++) drives compiles and links so .c files stay C; the C++
    # runtime libraries are passed explicitly, as for Debian's clang.
    clang = sdk + "/bin/clang"
    major = _clang_major(rctx, clang)
    if major < 17:
        fail("coproxy: %s is clang %d (WASI_SDK_PATH=%s); coproxy needs clang 17 or newer (wasi-sdk 21+). %s" % (clang, major, sdk, _SDK_HINT))
    # wasi-sdk removed its wasm32-wasi target after 25 (WebAssembly/wasi-sdk#637): a sysroot
    # without lib/wasm32-wasi has wasm32-wasip1, the same ABI under its new name.
    target = "wasm32-wasi" if rctx.path(sysroot + "/lib/wasm32-wasi").exists else "wasm32-wasip1"
    return struct(
        kind = "wasi-sdk (clang %d, %s)" % (major, target),
        target = target,
        clang = clang,
        ar = _first_existing(rctx, [sdk + "/bin/llvm-ar", sdk + "/bin/ar"], "wasi-sdk llvm-ar"),
        ld = _first_existing(rctx, [sdk + "/bin/wasm-ld"], "wasi-sdk wasm-ld"),
        nm = _first_existing(rctx, [sdk + "/bin/llvm-nm", sdk + "/bin/nm", "/bin/false"], "nm"),
        objdump = _first_existing(rctx, [sdk + "/bin/llvm-objdump", "/bin/false"], "objdump"),
        strip = _first_existing(rctx, [sdk + "/bin/llvm-strip", sdk + "/bin/strip", "/bin/false"], "strip"),
        sysroot = sysroot,
        # Newer wasi-sdks put headers and libs under a per-target directory.
        libcxx_include = _first_existing(rctx, [
            sysroot + "/include/wasm32-wasi/c++/v1",
            sysroot + "/include/wasm32-wasip1/c++/v1",
            sysroot + "/include/c++/v1",
        ], "libc++ headers in the wasi-sdk sysroot"),
        libc_include = _first_existing(rctx, [
            sysroot + "/include/wasm32-wasi",
            sysroot + "/include/wasm32-wasip1",
            sysroot + "/include",
        ], "wasi-libc headers in the wasi-sdk sysroot"),
        lib_dirs = [_first_existing(rctx, [
            sysroot + "/lib/wasm32-wasi",
            sysroot + "/lib/wasm32-wasip1",
        ], "wasi-libc libraries in the wasi-sdk sysroot")],
    )

def _wasm_toolchain_repo_impl(rctx):
    sdk = rctx.os.environ.get("WASI_SDK_PATH", "")
    cfg = _wasi_sdk_config(rctx, sdk) if sdk else _debian_config(rctx)

    resource_dir = _normalized(_exec_stdout(rctx, [cfg.clang, "-print-resource-dir"]))
    sysroot_flags = ["--sysroot=" + cfg.sysroot] if cfg.sysroot else []
    builtins = _normalized(_exec_stdout(rctx, [cfg.clang, "--target=" + cfg.target] + sysroot_flags +
                                              ["-rtlib=compiler-rt", "-print-libgcc-file-name"]))
    if not rctx.path(builtins).exists:
        if sdk:
            _fail_missing("wasi-sdk compiler-rt builtins (WASI_SDK_PATH=%s)" % sdk, builtins, _SDK_HINT)
        _fail_missing("compiler-rt builtins for wasm32 (Debian package libclang-rt-19-dev-wasm32)", builtins)
    include_dirs = [cfg.libcxx_include, resource_dir + "/include", cfg.libc_include]
    for d in include_dirs:
        if not rctx.path(d).exists:
            _fail_missing("wasm32-wasi include directory", d)

    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
    rctx.file("BUILD.bazel", "exports_files([\"config.bzl\"])\n")
    rctx.file("config.bzl", """# Generated by //bazel:repositories.bzl (wasm_toolchain_repository).
# WASI_SDK_PATH={sdk}
WASM_TOOLCHAIN = struct(
    kind = {kind},
    target = {target},
    clang = {clang},
    ar = {ar},
    ld = {ld},
    nm = {nm},
    objdump = {objdump},
    strip = {strip},
    sysroot_flags = {sysroot_flags},
    include_dirs = {include_dirs},
    lib_dirs = {lib_dirs},
    builtins = {builtins},
)
""".format(
        sdk = sdk or "(unset: Debian clang-19)",
        kind = repr(cfg.kind),
        target = repr(cfg.target),
        clang = repr(cfg.clang),
        ar = repr(cfg.ar),
        ld = repr(cfg.ld),
        nm = repr(cfg.nm),
        objdump = repr(cfg.objdump),
        strip = repr(cfg.strip),
        sysroot_flags = repr(sysroot_flags),
        include_dirs = repr(include_dirs),
        lib_dirs = repr(cfg.lib_dirs),
        builtins = repr(builtins),
    ))

wasm_toolchain_repository = repository_rule(
    implementation = _wasm_toolchain_repo_impl,
    environ = ["WASI_SDK_PATH"],  # changing it re-runs this rule (Bazel 7.1+: rctx.getenv)
    local = True,
    doc = "Finds clang/wasm-ld/libc++ for wasm32-wasi: Debian's clang-19 or $WASI_SDK_PATH.",
)

# ---------------------------------------------------------------------------
# Header-only libraries from a Debian package's /usr/include/<dir>: RapidJSON (behind
# coproxy/json.h, in wasm and native builds alike) and nlohmann-json (bench/ only: the JSON
# library comparison). Mirrored under include/<dir>, so that only that directory is on the
# include path of a wasm build, never the rest of /usr/include.
# ---------------------------------------------------------------------------

# Debian's RapidJSON 1.1.0, fixed as upstream's later sources are (each patch fails the build
# once the text it replaces is gone):
# - document.h defines an assignment to const members, which clang 19 rejects even
#   uninstantiated ("cannot assign to non-static data member 'length' with const-qualified
#   type"); upstream deletes the operator.
# - internal/stack.h's Reserve adds to a null pointer on the first push of an empty stack,
#   undefined behaviour that UBSan reports ("applying non-zero offset 16 to null pointer");
#   upstream compares the room left instead.
# (file: [text, its replacement, ...]: Bazel attributes have no nested-dict type.)
RAPIDJSON_FIXES = {
    "document.h": [
        "GenericStringRef& operator=(const GenericStringRef& rhs) { s = rhs.s; length = rhs.length; }",
        "GenericStringRef& operator=(const GenericStringRef& rhs) = delete;",
    ],
    "internal/stack.h": [
        "if (RAPIDJSON_UNLIKELY(stackTop_ + sizeof(T) * count > stackEnd_))",
        "if (RAPIDJSON_UNLIKELY(static_cast<std::ptrdiff_t>(sizeof(T) * count) > (stackEnd_ - stackTop_)))",
        "RAPIDJSON_ASSERT(stackTop_ + sizeof(T) * count <= stackEnd_);",
        "RAPIDJSON_ASSERT(static_cast<std::ptrdiff_t>(sizeof(T) * count) <= (stackEnd_ - stackTop_));",
    ],
}

def _header_library_impl(rctx):
    src = rctx.path(rctx.attr.path)
    if not src.get_child(rctx.attr.probe).exists:
        _fail_missing("%s (Debian package %s)" % (rctx.attr.what, rctx.attr.package), str(src))
    include = "include/" + src.basename
    patched = {}
    for entry, rel_path in _files_below(src, _list_dirs(rctx, str(src))):
        if rel_path in rctx.attr.replacements:
            content = rctx.read(entry)
            pairs = rctx.attr.replacements[rel_path]
            for i in range(0, len(pairs), 2):
                old, new = pairs[i], pairs[i + 1]
                if old not in content:
                    fail("coproxy: %s no longer holds the text to patch (%s); drop the patch" %
                         (str(entry), old))
                content = content.replace(old, new)
            rctx.file(include + "/" + rel_path, content, executable = False)
            patched[rel_path] = True
        else:
            rctx.symlink(entry, include + "/" + rel_path)
    for rel_path in rctx.attr.replacements:
        if rel_path not in patched:
            fail("coproxy: %s/%s to patch is missing" % (str(src), rel_path))
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
    rctx.file("BUILD.bazel", """# Generated by //bazel:repositories.bzl (header_library) from {path}.
package(default_visibility = ["//visibility:public"])

licenses(["notice"])

# Header-only; found as system headers (their own warnings are not ours).
cc_library(
    name = "{name}",
    hdrs = glob(["{include}/**/*.h", "{include}/**/*.hpp"]),
    includes = ["include"],
)
""".format(path = str(src), name = rctx.attr.target, include = include))

header_library = repository_rule(
    implementation = _header_library_impl,
    attrs = {
        "path": attr.string(mandatory = True, doc = "The headers' directory, e.g. /usr/include/rapidjson."),
        "target": attr.string(mandatory = True, doc = "The cc_library's name."),
        "probe": attr.string(mandatory = True, doc = "A file that must be there."),
        "what": attr.string(mandatory = True),
        "package": attr.string(mandatory = True, doc = "The Debian package that installs it."),
        "replacements": attr.string_list_dict(default = {}, doc = "file: [text, replacement, ...]"),
    },
    local = True,
    doc = "A header-only library's directory as @<name>//:<target>, with text patches.",
)
