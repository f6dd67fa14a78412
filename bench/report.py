"""Measures everything BENCHMARKS.md reports and writes it (bash bench/run.sh runs this).

    python3 bench/report.py BAZEL_BIN SPEED_DIR [--quick]
    python3 bench/report.py --render     (no measuring: BENCHMARKS.md again from the tables
                                          of the last run, bench/tables.json, after editing
                                          the template)

Reads bench/BENCHMARKS.md.in and replaces each {{name}} with a table measured now; writes
BENCHMARKS.md, bench/tables.json and one profile per run in bench/profiles/. --quick measures
fewer cycles and skips the 100,000-stream runs (for trying a change; the committed file comes
from a full run). SPEED_DIR holds the same drivers and modules built with --features=wasm_speed
(clang and wasm-opt -O2 instead of -Oz; bench/run.sh makes it), for the size against speed
table.
"""

import json
import os
import re
import subprocess
import sys

import callgrind

STYLES = [("floor", "floor"), ("bench_callbacks", "callbacks"), ("bench_tasks", "tasks"),
          ("bench_stream", "stream coroutine")]
WORKLOADS = ["noop", "headers", "callout", "body", "full"]
EXAMPLES = [("hello", "noop", "hello (callbacks; adds a response header)"),
            ("http_auth_callbacks", "callout", "http_auth_callbacks"),
            ("http_auth", "callout", "http_auth (tasks)"),
            ("http_auth_stream", "callout", "http_auth_stream (stream coroutine)")]
# -Oz against -O2: (module, workload, the module's .wasm under bazel-bin)
SPEED = [("hello", "noop", "examples/hello/hello.wasm"),
         ("bench_callbacks", "callout", "bench/plugins/bench_callbacks.wasm"),
         ("bench_tasks", "callout", "bench/plugins/bench_tasks.wasm"),
         ("bench_stream", "callout", "bench/plugins/bench_stream.wasm"),
         ("http_auth", "callout", "examples/http_auth/http_auth.wasm")]
# (combinator, the module it is measured against): bench/plugins/combinator.cc
# The JSON library comparison (bench/plugins/config_workload.h).
JSON_READERS = [
    ("config_none", "none (the baseline: the struct filled by hand)"),
    ("config_coproxy", "`coproxy/json.h` (RapidJSON underneath), typed"),
    ("config_rapidjson", "RapidJSON 1.1.0 DOM, by hand"),
    ("config_nlohmann", "nlohmann-json 3.11.2 (`JSON_NOEXCEPTION`), by hand"),
]
COMBINATORS = [("when_all", "none"), ("when_all_ok", "none"), ("when_any", "none"),
               ("sleep", "none"), ("with_timeout", "sleep")]
IN_FLIGHT = [10, 1000, 100000]
SUSPENDED = [1, 1000, 100000]


def fmt(x, digits=0):
    return "{:,.{}f}".format(x, digits)


def ratio(x, floor):
    return "%.2f×" % (x / floor) if floor else "—"


class Bench:
    def __init__(self, bin_dir, speed_dir, quick):
        self.bin = bin_dir
        self.speed = speed_dir
        self.quick = quick
        self.cycles = 100 if quick else 1000
        self.results = {}  # (module, workload, level) -> per-cycle (instr, wasm calls, host calls)

    def driver(self, level):
        return os.path.join(self.bin, "bench", "request_cost_" + level)

    def cost(self, module, workload, level, in_flight=0, cycles=None):
        cycles = cycles or self.cycles
        c = callgrind.measure(self.driver(level), module, workload, cycles, in_flight, level)
        per = (c.instructions / cycles, c.wasm_calls / cycles, c.host_calls / cycles)
        if in_flight == 0:
            self.results[(module, workload, level)] = per
            if level == "O0":
                self.write_profile(module, workload, c, cycles)
        print("  %-20s %-8s %s in flight %6d: %10.1f instructions, %6.2f wasm calls" % (
            module, workload, level, in_flight, per[0], per[1]), file=sys.stderr)
        return per

    def write_profile(self, module, workload, c, cycles):
        os.makedirs("bench/profiles", exist_ok=True)
        path = "bench/profiles/%s.%s.txt" % (module, workload)
        with open(path, "w") as out:
            out.write("# %s, workload %s: the plugin side of one request cycle, translation "
                      "without optimization\n" % (module, workload))
            out.write("# (bash bench/run.sh; bench/README.md). Per cycle: %s instructions, "
                      "%s wasm calls, %s host calls.\n" % (
                          fmt(c.instructions / cycles, 1), fmt(c.wasm_calls / cycles, 2),
                          fmt(c.host_calls / cycles, 2)))
            out.write("# instructions (own: self + memory helpers)  calls received  function\n")
            for name, ir in sorted(c.own.items(), key=lambda kv: (-kv[1], kv[0])):
                if ir <= 0 and c.calls[name] <= 0:
                    continue
                out.write("%12s %8s  %s\n" % (fmt(ir / cycles, 1), fmt(c.calls[name] / cycles, 2),
                                              callgrind.readable(name)))

    # ---- tables ----

    def request_cost_table(self, level):
        rows = ["| workload | " + " | ".join(label for _, label in STYLES) + " |",
                "|---|" + "---|" * len(STYLES)]
        for workload in WORKLOADS:
            floor = self.results[("floor", workload, level)][0]
            cells = []
            for module, _ in STYLES:
                instr = self.results[(module, workload, level)][0]
                cells.append(fmt(instr) if module == "floor" else
                             "%s (%s)" % (fmt(instr), ratio(instr, floor)))
            rows.append("| %s | %s |" % (workload, " | ".join(cells)))
        return "\n".join(rows)

    def calls_table(self):
        rows = ["| workload | " + " | ".join(label for _, label in STYLES) + " |",
                "|---|" + "---|" * len(STYLES)]
        for workload in WORKLOADS:
            cells = []
            for module, _ in STYLES:
                _, wasm_calls, host_calls = self.results[(module, workload, "O0")]
                cells.append("%s / %s" % (fmt(wasm_calls, 1), fmt(host_calls, 1)))
            rows.append("| %s | %s |" % (workload, " | ".join(cells)))
        return "\n".join(rows)

    def examples_table(self):
        rows = ["| example | instructions, no optimization | optimized | wasm calls | host calls |",
                "|---|---|---|---|---|"]
        for module, workload, label in EXAMPLES:
            o0 = self.results[(module, workload, "O0")]
            o2 = self.results[(module, workload, "O2")]
            rows.append("| %s | %s | %s | %s | %s |" % (label, fmt(o0[0]), fmt(o2[0]),
                                                        fmt(o0[1], 1), fmt(o0[2], 1)))
        return "\n".join(rows)

    def config_cost(self, module, case):
        driver = os.path.join(self.bin, "bench", "config_cost_O0")
        cycles = 20 if self.quick else 200
        c = callgrind.measure(driver, module, case, cycles, 0, "O0")
        print("  %-20s %-8s O0: %10.1f instructions" % (module, case, c.instructions / cycles),
              file=sys.stderr)
        return c.instructions / cycles, c.host_calls / cycles

    def json_table(self):
        def size(module):
            return os.path.getsize(os.path.join(self.bin, "bench/plugins/%s.wasm" % module))

        def imports(module):
            out = subprocess.run(["wasm-objdump", "-x", "-j", "Import",
                                  os.path.join(self.bin, "bench/plugins/%s.wasm" % module)],
                                 capture_output=True, text=True).stdout
            modules = sorted({line.split("<- ")[1].split(".")[0]
                              for line in out.splitlines() if "<- " in line})
            return ", ".join(modules)

        base_instructions, _ = self.config_cost("config_none", "start")
        base_size = size("config_none")
        rows = ["| reader | module bytes | adds | instructions per start | parsing adds | imports |",
                "|---|---|---|---|---|---|"]
        for module, label in JSON_READERS:
            instructions, _ = self.config_cost(module, "start")
            rows.append("| %s | %s | %s | %s | %s | %s |" % (
                label, fmt(size(module)), fmt(size(module) - base_size), fmt(instructions),
                fmt(instructions - base_instructions) if module != "config_none" else "—",
                imports(module)))
        return "\n".join(rows)

    def rules_table(self):
        rows = ["| rules in the configuration | instructions per request | matching adds | host calls |",
                "|---|---|---|---|"]
        base = None
        for count in [0, 1, 20]:
            instructions, host_calls = self.config_cost("per_route_config", "rules%d" % count)
            base = instructions if base is None else base
            rows.append("| %d | %s | %s | %s |" % (count, fmt(instructions),
                                                   fmt(instructions - base), fmt(host_calls, 1)))
        return "\n".join(rows)

    def targets_table(self):
        r = self.results
        hello = r[("hello", "noop", "O0")]
        floor_headers = r[("floor", "headers", "O0")]
        callbacks_per_cycle = 6  # create, request headers, response headers, done, log, delete
        extra_calls = (hello[1] - floor_headers[1]) / callbacks_per_cycle
        rows = ["| target | measured | |", "|---|---|---|"]

        def row(name, value, ok):
            rows.append("| %s | %s | %s |" % (name, value, "met" if ok else "**missed**"))

        row("hello ≤ 2,400 instructions per cycle", fmt(hello[0]), hello[0] <= 2400)
        row("hello ≤ 2 wasm calls per callback beyond the floor's",
            "%.2f (%s vs the floor's %s per cycle)" % (extra_calls, fmt(hello[1], 1),
                                                       fmt(floor_headers[1], 1)),
            extra_calls <= 2)
        for workload in ["callout", "body", "full"]:
            floor = r[("floor", workload, "O0")][0]
            for module, label, limit in [("bench_callbacks", "callbacks", 2.0),
                                         ("bench_tasks", "tasks", 2.5),
                                         ("bench_stream", "stream coroutine", 2.5)]:
                x = r[(module, workload, "O0")][0] / floor
                row("%s, %s ≤ %.1f× the floor" % (workload, label, limit), "%.2f×" % x,
                    x <= limit)
        for workload in ["callout", "full"]:
            cb = r[("bench_callbacks", workload, "O0")][0]
            for module, label in [("bench_tasks", "tasks"), ("bench_stream", "stream coroutine")]:
                x = r[(module, workload, "O0")][0] / cb
                row("%s, %s ≤ 1.15× callbacks" % (workload, label), "%.2f×" % x, x <= 1.15)
        return "\n".join(rows)

    def scale_table(self):
        counts = [n for n in IN_FLIGHT if not (self.quick and n > 1000)]
        rows = ["| style (callout workload) | " +
                " | ".join("%s in flight" % fmt(n) for n in counts) + " | ratio |",
                "|---|" + "---|" * (len(counts) + 1)]
        for module, label in STYLES[1:]:
            costs = [self.cost(module, "callout", "O0", n, cycles=100)[0] for n in counts]
            rows.append("| %s | %s | %s |" % (label, " | ".join(fmt(c) for c in costs),
                                              "%.3f×" % (costs[-1] / costs[0])))
        return "\n".join(rows)

    def suspended_table(self):
        counts = [n for n in SUSPENDED if not (self.quick and n > 1000)]
        binary = os.path.join(self.bin, "bench", "suspended_stream_bytes")
        rows = ["| suspended streams | linear memory before → after | bytes per stream |",
                "|---|---|---|"]
        for n in counts:
            out = subprocess.run([binary, str(n)], check=True, capture_output=True,
                                 text=True).stdout
            memory = re.search(r"linear memory: (\d+) -> (\d+)", out)
            per = re.search(r"bytes per suspended stream: ([\d.]+)", out)
            rows.append("| %s | %s → %s | %s |" % (fmt(n), fmt(int(memory.group(1))),
                                                   fmt(int(memory.group(2))), per.group(1)))
        return "\n".join(rows)

    def speed_table(self):
        rows = ["| module (workload) | bytes, -Oz → -O2 | instructions, no optimization | "
                "optimized translation | wasm calls |", "|---|---|---|---|---|"]
        for module, workload, path in SPEED:
            size = os.path.getsize(os.path.join(self.bin, path))
            fast_size = os.path.getsize(os.path.join(self.speed, path))
            cells = ["%s → %s (%+.0f%%)" % (fmt(size), fmt(fast_size), 100.0 * (fast_size / size - 1))]
            for level in ["O0", "O2"]:
                small = self.results[(module, workload, level)][0]
                c = callgrind.measure(os.path.join(self.speed, "request_cost_" + level), module,
                                      workload, self.cycles, 0, level)
                fast = c.instructions / self.cycles
                if level == "O0":
                    fast_calls = c.wasm_calls / self.cycles
                cells.append("%s → %s (%+.0f%%)" % (fmt(small), fmt(fast), 100.0 * (fast / small - 1)))
            small_calls = self.results[(module, workload, "O0")][1]
            cells.append("%s → %s" % (fmt(small_calls, 1), fmt(fast_calls, 1)))
            rows.append("| %s (%s) | %s |" % (module, workload, " | ".join(cells)))
        return "\n".join(rows)

    def combinators_table(self):
        def size(name):
            return os.path.getsize(os.path.join(self.bin, "bench/plugins/combinator_%s.wasm" % name))
        rows = ["| combinator | module bytes | against | adds |", "|---|---|---|---|"]
        for combinator, baseline in COMBINATORS:
            rows.append("| `%s` | %s | `%s` (%s) | %s |" % (
                combinator, fmt(size(combinator)), baseline, fmt(size(baseline)),
                fmt(size(combinator) - size(baseline))))
        return "\n".join(rows)

    def sizes_table(self):
        rows = ["| module | bytes |", "|---|---|"]
        for path in MODULES:
            full = os.path.join(self.bin, path)
            rows.append("| `%s` | %s |" % (path, fmt(os.path.getsize(full))))
        return "\n".join(rows)


MODULES = [
    "examples/hello/hello.wasm",
    "examples/http_auth/http_auth_callbacks.wasm",
    "examples/http_auth/http_auth.wasm",
    "examples/http_auth/http_auth_stream.wasm",
    "tests/coro/coro_add_header.wasm",
    "tests/coro/coro_nested.wasm",
    "bench/plugins/floor.wasm",
    "bench/plugins/bench_callbacks.wasm",
    "bench/plugins/bench_tasks.wasm",
    "bench/plugins/bench_stream.wasm",
]


def versions():
    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True).stdout
            return out.strip().splitlines()[0] if out.strip() else "?"
        except OSError:
            return "not found"
    wasi = os.environ.get("WASI_SDK_PATH")
    clang = os.path.join(wasi, "bin", "clang") if wasi else "clang-19"
    return "\n".join([
        "- wasm32-wasi compiler: `%s`" % first_line([clang, "--version"]),
        "- `%s`, `%s`" % (first_line(["wasm-opt", "--version"]),
                          "wasm2c " + first_line(["wasm2c", "--version"])),
        "- translation compiled by `%s`" % first_line(["clang-19", "--version"]),
        "- `%s`, Bazel `%s`" % (first_line(["valgrind", "--version"]),
                                first_line(["dpkg-query", "-W", "-f", "${Version}\n",
                                            "bazel-bootstrap"])),
    ])


def render(tables):
    with open("bench/BENCHMARKS.md.in") as template:
        text = template.read()
    text = re.sub(r"\{\{(\w+)\}\}", lambda m: tables[m.group(1)], text)
    with open("BENCHMARKS.md", "w") as out:
        out.write(text)


def main():
    if sys.argv[1] == "--render":
        with open("bench/tables.json") as saved:
            render(json.load(saved))
        return
    bin_dir, speed_dir = sys.argv[1], sys.argv[2]
    quick = "--quick" in sys.argv
    bench = Bench(bin_dir, speed_dir, quick)
    for level in ["O0", "O2"]:
        for module, _ in STYLES:
            for workload in WORKLOADS:
                bench.cost(module, workload, level)
        for module, workload, _ in EXAMPLES:
            bench.cost(module, workload, level)
    tables = {
        "versions": versions(),
        "request_cost_O0": bench.request_cost_table("O0"),
        "request_cost_O2": bench.request_cost_table("O2"),
        "calls": bench.calls_table(),
        "examples": bench.examples_table(),
        "targets": bench.targets_table(),
        "scale": bench.scale_table(),
        "suspended": bench.suspended_table(),
        "sizes": bench.sizes_table(),
        "speed": bench.speed_table(),
        "combinators": bench.combinators_table(),
        "json": bench.json_table(),
        "rules": bench.rules_table(),
        "cycles": fmt(bench.cycles),
    }
    with open("bench/tables.json", "w") as saved:
        json.dump(tables, saved, indent=1, ensure_ascii=False)
    render(tables)
    print("wrote BENCHMARKS.md and bench/profiles/", file=sys.stderr)


if __name__ == "__main__":
    main()
