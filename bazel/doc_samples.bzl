"""doc_samples: every ```cpp block of the docs, compiled in CI without warnings.

    doc_samples(
        name = "samples",
        docs = {
            "coroutines.md": ["plugin", "plugin"],   # one kind per ```cpp block, in order
            "testing.md": ["test"],
        },
    )

A "plugin" block is built as a plugin would be: natively and as a .wasm (coproxy_plugin,
-Wall -Wextra -Werror). A "test" block is compiled natively against //testing:plugin_test
and GoogleTest. Each block is extracted from the document at build time, so what compiles is
exactly what the reader sees. <name>_listed_test fails when a document has a ```cpp block
that is not listed here (or fewer than listed).
"""

load("@rules_cc//cc:defs.bzl", "cc_library")
load("//bazel:plugin.bzl", "coproxy_plugin")

_STRICT = ["-Wall", "-Wextra", "-Werror"]

def _sample_name(doc, index):
    base = doc.split(":")[-1].split("/")[-1].replace(".md", "").replace("-", "_")
    return "%s_sample_%d" % (base.lower(), index)

def doc_samples(name, docs):
    expected = []
    for doc, kinds in docs.items():
        expected.append("$(rootpath %s)=%d" % (doc, len(kinds)))
        for i, kind in enumerate(kinds):
            sample = _sample_name(doc, i + 1)
            native.genrule(
                name = sample + "_extract",
                srcs = [doc],
                outs = [sample + ".cc"],
                cmd = ("awk -v n=%d '/^```cpp/ { b++; inb = (b == n); next } " +
                       "inb && /^```/ { inb = 0 } inb { print }' $< > $@") % (i + 1),
            )
            if kind == "plugin":
                coproxy_plugin(
                    name = sample,
                    srcs = [sample + ".cc"],
                    copts = _STRICT,
                    wasm2c = False,
                )
            elif kind == "test":
                cc_library(
                    name = sample,
                    srcs = [sample + ".cc"],
                    copts = _STRICT,
                    testonly = True,
                    deps = [
                        Label("//testing:plugin_test"),
                        Label("@com_google_googletest//:gtest"),
                    ],
                )
            else:
                fail("doc_samples: kind must be plugin or test, not " + kind)

    native.sh_test(
        name = name + "_listed_test",
        size = "small",
        srcs = [Label("//bazel:doc_samples_listed_test.sh")],
        args = expected,
        data = list(docs.keys()),
    )
