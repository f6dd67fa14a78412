"""coproxy_fault_sweep_test: a PluginTest binary run again with each host call failing."""

def coproxy_fault_sweep_test(name, test, size = "large"):
    """Runs the cc_test `test` with COPROXY_FAULT_SWEEP=1 (testing/fault_sweep.h): every test
    that passes runs again once for each host call its plugin makes, with that call failing,
    and must not trap or crash the plugin."""
    native.sh_test(
        name = name,
        size = size,
        srcs = [Label("//testing:fault_sweep_test.sh")],
        args = ["$(location " + test + ")"],
        data = [test],
    )
