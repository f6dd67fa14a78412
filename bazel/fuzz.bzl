"""coproxy_fuzzer: a libFuzzer target with its checked-in seed corpus."""

load("@rules_cc//cc:defs.bzl", "cc_binary")

def coproxy_fuzzer(name, srcs, deps = []):
    """Defines, for the seed corpus in corpus/<name without _fuzzer>/:
      <name>: a libFuzzer binary (bazel run it, or tools/fuzz.sh, which builds it with
        --config=fuzz so that every native file carries libFuzzer's coverage);
      <name>_corpus_test: runs the binary once over each input of the corpus, so that every
        `bazel test` replays the seeds and every input a past finding added.
    """
    corpus = native.glob(["corpus/" + name.replace("_fuzzer", "") + "/*"])
    cc_binary(
        name = name,
        testonly = True,
        srcs = srcs,
        linkopts = ["-fsanitize=fuzzer"],
        deps = deps,
    )
    native.sh_test(
        name = name + "_corpus_test",
        size = "small",
        srcs = [Label("//tests/fuzz:run_corpus.sh")],
        args = ["$(location :" + name + ")"] + ["$(location " + f + ")" for f in corpus],
        data = [":" + name] + corpus,
    )
