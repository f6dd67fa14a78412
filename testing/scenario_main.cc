// The scenario runner: runs a scenario file (testing/scenario.h) through a plugin linked into
// this binary (coproxy_scenario in bazel/plugin.bzl links one) and prints the trace.
//   runner [--native] PLUGIN SCENARIO_FILE
// --native may stand anywhere, so `bazel run :x_scenario -- --native` works (bazel puts the
// target's own arguments first). Without it the plugin's .wasm runs.
// Exit status: 0 done, 1 the scenario or the plugin failed, 2 illegal host calls were made.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "testing/native_plugin.h"
#include "testing/scenario.h"
#include "testing/wasm_plugin.h"

int main(int argc, char** argv) {
  using namespace coproxy::testing;
  bool native = false;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--native") {
      native = true;
    } else {
      positional.emplace_back(argv[i]);
    }
  }
  if (positional.size() != 2) {
    std::cerr << "usage: " << argv[0] << " [--native] PLUGIN SCENARIO_FILE\n";
    return 1;
  }
  const std::string plugin = positional[0], path = positional[1];
  std::ifstream file(path);
  if (!file) {
    std::cerr << "cannot read " << path << "\n";
    return 1;
  }
  std::stringstream text;
  text << file.rdbuf();

  Scenario scenario(native ? load_native(plugin) : load_wasm(plugin),
                    [](std::string_view line) { std::cout << line << "\n"; });
  if (!scenario.run(text.str())) {
    std::cout.flush();
    std::cerr << path << ": " << scenario.error() << "\n";
    return 1;
  }
  const std::vector<IllegalCall>& illegal = scenario.emulator()
                                                ? scenario.emulator()->host().illegal_calls()
                                                : std::vector<IllegalCall>();
  if (!illegal.empty()) {
    std::cout << "illegal host calls:\n" << describe(illegal);
    return 2;
  }
  return 0;
}
