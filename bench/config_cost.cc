// Runs cycles of a configuration workload through one .wasm (wasm2c backend) for callgrind
// (bench/callgrind.py), as bench/request_cost.cc does for requests:
//
//   config_cost MODULE CASE [CYCLES [IN_FLIGHT]]
//     config_none | config_coproxy | config_rapidjson | config_nlohmann, CASE "start": a cycle
//       is one plugin start with bench/plugins/config_workload.h's configuration; the log
//       must hold its summary
//     per_route_config, CASE "rules0" | "rules1" | "rules20": a cycle is one request (request
//       and response headers) under a configuration of that many rules, none of which the
//       request matches (each rule is tested: the worst case); the response must carry the
//       global part's x-tier
//   IN_FLIGHT is ignored (callgrind.py passes it).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <valgrind/callgrind.h>

#include "bench/plugins/config_workload.h"
#include "testing/emulator.h"
#include "testing/wasm_plugin.h"

namespace {

using coproxy::testing::Emulator;

struct Case {
  std::string module;
  std::string name;
  uint32_t root = 0;  // the plugin the request cases run under
};

// A rules configuration: `count` rules, alternately on a route and on a host, that no
// request of the cycle matches.
std::string rules_config(int count) {
  std::string text = R"({"tier": "standard", "_rules_": [)";
  for (int i = 0; i < count; ++i) {
    if (i) text += ", ";
    text += i % 2 ? R"({"_match_domain_": ["*.internal)" + std::to_string(i) + R"(.example.com"], "tier": "t"})"
                  : R"({"_match_route_": ["route)" + std::to_string(i) + R"("], "tier": "t"})";
  }
  return text + "]}";
}

bool run_cycle(Emulator& emu, const Case& c) {
  auto& host = emu.host();
  if (c.name == "start") {
    if (emu.start_plugin(bench::kConfigText) == 0) return false;
    return host.logs().back().message == bench::kConfigSummary;
  }
  const uint32_t stream = emu.open_stream(c.root);
  host.put_stream_property(stream, {"route_name"}, "web");
  emu.send_request_headers(stream, {{":method", "GET"}, {":path", "/"}, {":authority", "example.com"}},
                           true);
  emu.send_response_headers(stream, {{":status", "200"}}, true);
  bool ok = false;
  for (const auto& [name, value] : host.stream(stream).maps[2]) ok = ok || (name == "x-tier" && value == "standard");
  emu.end_stream(stream);
  return ok && !emu.failed();
}

}  // namespace

extern "C" [[gnu::noinline]] bool bench_measured_cycles(Emulator& emu, const Case& c, int cycles) {
  CALLGRIND_START_INSTRUMENTATION;
  bool ok = true;
  for (int i = 0; i < cycles; ++i) ok = run_cycle(emu, c) && ok;
  CALLGRIND_STOP_INSTRUMENTATION;
  return ok;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: config_cost MODULE CASE [CYCLES [IN_FLIGHT]]\n");
    return 2;
  }
  Case c{argv[1], argv[2]};
  const int cycles = argc > 3 ? std::atoi(argv[3]) : 100;
  Emulator emu(coproxy::testing::load_wasm(c.module));
  if (!emu.loaded()) {
    std::fprintf(stderr, "module %s is not linked in\n", c.module.c_str());
    return 2;
  }
  if (c.name.rfind("rules", 0) == 0) {
    c.root = emu.start_plugin(rules_config(std::atoi(c.name.c_str() + 5)));
    if (c.root == 0) {
      std::fprintf(stderr, "%s did not start\n", c.module.c_str());
      return 1;
    }
  } else if (c.name != "start") {
    std::fprintf(stderr, "unknown case %s\n", c.name.c_str());
    return 2;
  }
  for (int i = 0; i < 20; ++i) {  // warm-up
    if (!run_cycle(emu, c)) {
      std::fprintf(stderr, "%s %s: the work was not done\n", c.module.c_str(), c.name.c_str());
      return 1;
    }
  }
  if (!bench_measured_cycles(emu, c, cycles)) return 1;
  std::printf("%s %s: %d cycles, ok\n", c.module.c_str(), c.name.c_str(), cycles);
  return 0;
}
