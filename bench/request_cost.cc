// Runs request cycles of one benchmark workload through one .wasm (wasm2c backend) so that
// callgrind can count the instructions of the module's own functions per cycle
// (bench/request_cost.py, which also reruns it). A cycle is what Envoy does for one request:
// create the stream context, request headers, the callout's answer (callout workloads),
// a 4 KiB request body (body workloads), response headers, done, log, delete.
//
//   request_cost MODULE WORKLOAD [CYCLES [IN_FLIGHT]]
//     MODULE     a module linked in (floor, bench_callbacks, bench_tasks, bench_stream,
//                hello, http_auth, http_auth_callbacks, http_auth_stream)
//     WORKLOAD   noop | headers | callout | body | full (bench/plugins/workload.h); the
//                examples do their own work whatever it says (the word only shapes the cycle)
//     IN_FLIGHT  streams left suspended at their callout (or open, for workloads without
//                one) while the measured cycles run: the per-event cost at scale
//
// Only bench_measured_cycles runs instrumented (callgrind --instr-atstart=no) and collecting
// (--toggle-collect): the setup, the warm-up and the in-flight streams are not counted. Every cycle checks that the work was
// done (headers added, callout answered and the request continued, body rewritten); a cycle
// that did not do it fails the run.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <valgrind/callgrind.h>

#include "bench/plugins/workload.h"
#include "testing/emulator.h"
#include "testing/wasm_plugin.h"

namespace {

using coproxy::testing::Emulator;
using coproxy::testing::Pairs;
using bench::Workload;

struct Cycle {
  std::string module;
  Workload workload = Workload::Noop;
  bool has_body = false;
  bool calls_out = false;
  std::string body;      // the request body (4 KiB of lower-case text)
  std::string expected;  // the body as a rewriting workload leaves it
};

bool has(const Pairs& pairs, std::string_view key, std::string_view value) {
  for (const auto& [k, v] : pairs) {
    if (k == key && v == value) return true;
  }
  return false;
}

// Starts a stream up to its request headers (and its callout, if the workload makes one).
uint32_t open_request(Emulator& emu, uint32_t root, const Cycle& cycle) {
  const uint32_t stream = emu.open_stream(root);
  emu.send_request_headers(stream, {{":method", "POST"}, {":path", "/"}, {":authority", "bench"}},
                           !cycle.has_body);
  return stream;
}

// The rest of the cycle; false (with a message) when the plugin did not do its work.
bool finish_request(Emulator& emu, uint32_t stream, const Cycle& cycle, size_t callouts_before) {
  auto& host = emu.host();
  if (cycle.calls_out) {
    if (host.http_callouts().size() != callouts_before + 1) {
      std::fprintf(stderr, "stream %u: no callout\n", stream);
      return false;
    }
    emu.answer_http_call(host.http_callouts().back().token,
                         {{":status", "200"}, {"x-user", "alice"}});
  }
  if (cycle.has_body) emu.send_request_body(stream, cycle.body, true);
  emu.send_response_headers(stream, {{":status", "200"}}, true);
  const coproxy::testing::StreamState& state = host.stream(stream);
  const bool bench_module = cycle.module.rfind("bench_", 0) == 0 || cycle.module == "floor";
  bool ok = !emu.failed() && !state.local_response.has_value();
  if (bench_module && bench::adds_headers(cycle.workload)) {
    const char* value = cycle.module == "floor" ? "floor" : "coproxy";
    ok = ok && has(state.maps[0], "x-bench", value) && has(state.maps[2], "x-bench", value);
  }
  if (cycle.calls_out) ok = ok && has(state.maps[0], "x-user", "alice");
  if (bench_module && bench::rewrites_body(cycle.workload)) {
    ok = ok && state.request.forwarded == cycle.expected;
  }
  if (!ok) std::fprintf(stderr, "stream %u: the work was not done\n", stream);
  emu.end_stream(stream);
  return ok;
}

bool run_cycle(Emulator& emu, uint32_t root, const Cycle& cycle) {
  const size_t callouts = emu.host().http_callouts().size();
  return finish_request(emu, open_request(emu, root, cycle), cycle, callouts);
}

}  // namespace

// What callgrind counts (--toggle-collect=bench_measured_cycles).
extern "C" [[gnu::noinline]] bool bench_measured_cycles(Emulator& emu, uint32_t root,
                                                        const Cycle& cycle, int cycles) {
  // Under callgrind --instr-atstart=no the rest runs uninstrumented (fast); no-ops otherwise.
  CALLGRIND_START_INSTRUMENTATION;
  bool ok = true;
  for (int i = 0; i < cycles; ++i) ok = run_cycle(emu, root, cycle) && ok;
  CALLGRIND_STOP_INSTRUMENTATION;
  return ok;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: request_cost MODULE WORKLOAD [CYCLES [IN_FLIGHT]]\n");
    return 2;
  }
  Cycle cycle;
  cycle.module = argv[1];
  const std::string_view word = argv[2];
  cycle.workload = bench::parse_workload(word.data(), word.size());
  const int cycles = argc > 3 ? std::atoi(argv[3]) : 1000;
  const int in_flight = argc > 4 ? std::atoi(argv[4]) : 0;
  cycle.calls_out = bench::calls_out(cycle.workload);
  cycle.has_body = bench::rewrites_body(cycle.workload);
  for (size_t i = 0; cycle.has_body && i < 4096; ++i) {
    cycle.body.push_back("the quick brown fox jumps over the lazy dog\n"[i % 44]);
  }
  cycle.expected = cycle.body;
  bench::shout(cycle.expected.data(), cycle.expected.size());

  Emulator emu(coproxy::testing::load_wasm(cycle.module));
  if (!emu.loaded()) {
    std::fprintf(stderr, "module %s is not linked in\n", cycle.module.c_str());
    return 2;
  }
  const uint32_t root = emu.start_plugin(std::string(word));
  if (root == 0) {
    std::fprintf(stderr, "%s did not start\n", cycle.module.c_str());
    return 1;
  }
  // Warm-up: the pools, the context table and the allocator reach their steady state.
  for (int i = 0; i < 100; ++i) {
    if (!run_cycle(emu, root, cycle)) return 1;
  }
  std::vector<uint32_t> waiting;
  std::vector<size_t> waiting_callouts;
  for (int i = 0; i < in_flight; ++i) {
    waiting_callouts.push_back(emu.host().http_callouts().size());
    waiting.push_back(open_request(emu, root, cycle));
  }
  if (!bench_measured_cycles(emu, root, cycle, cycles)) return 1;
  // The in-flight streams end too: the plugin must still do their work.
  for (size_t i = 0; i < waiting.size(); ++i) {
    // Their callouts were made before the measured ones: answer each by its own token.
    if (cycle.calls_out) {
      const uint32_t token = emu.host().http_callouts()[waiting_callouts[i]].token;
      emu.answer_http_call(token, {{":status", "200"}, {"x-user", "alice"}});
      Cycle answered = cycle;
      answered.calls_out = false;  // answered just above
      if (!finish_request(emu, waiting[i], answered, 0)) return 1;
    } else if (!finish_request(emu, waiting[i], cycle, 0)) {
      return 1;
    }
  }
  std::printf("%s %s: %d cycles, %d in flight, ok\n", cycle.module.c_str(), argv[2], cycles,
              in_flight);
  return 0;
}
