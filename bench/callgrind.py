"""Counts what one benchmark run costs inside the plugin, from callgrind's output.

Runs `request_cost` under callgrind, collecting only inside bench_measured_cycles, and reads
the output file: the functions whose source file is the translated module (<name>_O0.c or
<name>_O2.c) are the plugin's. Of those:
  instructions  their self cost: wasm2c's w2c_* functions (the module's wasm functions), the
                export thunks and, without optimization, the memory-access helpers
                (i32_load, ...) that stand for single wasm instructions
  wasm calls    calls to w2c_* functions (from the host's export thunks and from each other):
                what an interpreter pays a frame for; meaningful without optimization only
  host calls    calls to the host's imports (Z_envZ_proxy_*)
and a profile: each w2c_* function's own cost (its self cost plus the memory helpers it
called) and the calls it received.
"""

import collections
import os
import subprocess
import tempfile


class Cost:
    def __init__(self):
        self.instructions = 0
        self.wasm_calls = 0
        self.host_calls = 0
        self.own = collections.Counter()  # w2c function -> instructions (with its helpers)
        self.calls = collections.Counter()  # w2c function -> calls received


def parse(path, module_file):
    """Reads a callgrind output file (uncompressed names) into a Cost."""
    cost = Cost()
    fl = fn = cfl = cfn = None
    in_module = False
    pending_call = None  # (callee, callee_in_module) until the inclusive cost line
    with open(path) as lines:
        for raw in lines:
            line = raw.rstrip("\n")
            if not line:
                continue
            key, sep, value = line.partition("=")
            if sep and key in ("fl", "fi", "fe", "fn", "cfl", "cfi", "cfn", "calls", "ob", "cob"):
                if key == "fl":
                    fl = value
                elif key == "fn":
                    fn = value
                    in_module = fl is not None and fl.endswith(module_file)
                    cfl = None
                elif key in ("cfl", "cfi"):
                    cfl = value
                elif key == "cfn":
                    cfn = value
                elif key == "calls":
                    count = int(value.split()[0])
                    callee_file = cfl if cfl is not None else fl
                    callee_in_module = callee_file is not None and callee_file.endswith(module_file)
                    pending_call = (cfn, callee_in_module)
                    if cfn.startswith("w2c_"):
                        cost.wasm_calls += count
                        cost.calls[cfn] += count
                    elif cfn.startswith("Z_envZ_") and in_module:
                        cost.host_calls += count
                continue
            if not line[0].isdigit() and line[0] not in "+-*":
                continue  # headers, totals, summary
            fields = line.split()
            ir = int(fields[1]) if len(fields) > 1 else 0
            if pending_call is not None:
                callee, callee_in_module = pending_call
                pending_call = None
                cfl = None
                # A call's inclusive cost: the helpers' belongs to the calling function.
                if in_module and callee_in_module and not callee.startswith("w2c_"):
                    cost.own[fn] += ir
                continue
            if in_module:
                cost.instructions += ir
                if fn.startswith("w2c_") or fn.startswith("Z_"):
                    cost.own[fn] += ir
    return cost


def run(driver, module, workload, cycles, in_flight, level):
    """One run under callgrind; the Cost it recorded."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(
            [
                "valgrind", "--tool=callgrind", "--instr-atstart=no",
                "--dump-instr=no", "--compress-strings=no", "--compress-pos=no",
                "--callgrind-out-file=" + out, driver, module, workload, str(cycles),
                str(in_flight),
            ],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return parse(out, "/%s_%s.c" % (module, level))


def measure(driver, module, workload, cycles, in_flight=0, level="O0"):
    """The Cost of `cycles` cycles (not divided): a run of 2 x cycles minus a run of cycles.

    Callgrind counts calls even while it does not collect (the warm-up, the in-flight streams'
    set-up and end), so the runs differ by exactly the measured cycles only.
    """
    short = run(driver, module, workload, cycles, in_flight, level)
    long = run(driver, module, workload, 2 * cycles, in_flight, level)
    cost = Cost()
    cost.instructions = long.instructions - short.instructions
    cost.wasm_calls = long.wasm_calls - short.wasm_calls
    cost.host_calls = long.host_calls - short.host_calls
    cost.own = long.own
    cost.own.subtract(short.own)
    cost.calls = long.calls
    cost.calls.subtract(short.calls)
    return cost


def readable(name):
    """w2c_coproxy__Dispatcher__on_done_unsigned_int_ -> coproxy::Dispatcher::on_done(unsigned_int)"""
    if name.startswith("w2c_"):
        name = name[4:]
    return name.replace("__", "::")


if __name__ == "__main__":
    import sys
    driver, module, workload = sys.argv[1:4]
    cycles = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    level = "O2" if driver.endswith("_O2") else "O0"
    c = measure(driver, module, workload, cycles, 0, level)
    print("%s %s %s: %.1f instructions, %.2f wasm calls, %.2f host calls per cycle" % (
        module, workload, level, c.instructions / cycles, c.wasm_calls / cycles,
        c.host_calls / cycles))
    for name, ir in c.own.most_common(40):
        print("%10.1f %8.2f  %s" % (ir / cycles, c.calls[name] / cycles, readable(name)))
