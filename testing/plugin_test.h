// PluginTest: one test body, run against a plugin compiled natively and against its real
// .wasm (wasm2c), each with a fresh Emulator. Every test ends by checking that the plugin made
// no illegal host call and did not trap.
//
//   class MyFilterTest : public coproxy::testing::PluginTest {};
//   COPROXY_PLUGIN_TEST_SUITE(MyFilterTest, "my_filter");   // the coproxy_plugin name
//   TEST_P(MyFilterTest, AddsAHeader) {
//     uint32_t root = emu().start_plugin();
//     ...
//   }
// The test links :my_filter_native and :my_filter_wasm2c; a backend that is not linked in
// fails the test (nothing is skipped). With COPROXY_FAULT_SWEEP=1, a test that passes runs
// again with each host call its plugin made failing in turn (testing/fault_sweep.h).
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/emulator.h"
#include "testing/fault_sweep.h"

namespace coproxy::testing {

enum class Backend : uint8_t { Native, Wasm };

struct PluginUnderTest {
  Backend backend;
  std::string plugin;
};

// "probe on wasm", for test failure messages.
void PrintTo(const PluginUnderTest& param, std::ostream* out);

// The plugin on both backends, for INSTANTIATE_TEST_SUITE_P.
std::vector<PluginUnderTest> both_backends(const std::string& plugin);
PluginLoader loader_for(const PluginUnderTest& param);
std::string backend_name(const ::testing::TestParamInfo<PluginUnderTest>& info);
// "<plugin>_<backend>", for a suite that runs several plugins.
std::string plugin_and_backend_name(const ::testing::TestParamInfo<PluginUnderTest>& info);

class PluginTest : public ::testing::TestWithParam<PluginUnderTest> {
 protected:
  PluginTest() { reset_emulator(); }
  // A fresh emulator (for another host behaviour); checks the current one first.
  void reset_emulator(HostBehaviour behaviour = {});
  Emulator& emu() { return *emu_; }
  Host& host() { return emu_->host(); }
  // For tests that make illegal calls on purpose.
  void expect_illegal_calls() { illegal_calls_expected_ = true; }

  // What the plugin logged, oldest first: every message, or those at one level. The entries
  // themselves (level and message) are host().logs().
  std::vector<std::string> log_messages() const;
  std::vector<std::string> log_messages(LogLevel level) const;
  // The newest message, "" when nothing was logged: a refused configuration's one line.
  std::string last_log_message() const;

  // A configuration the plugin must refuse, and the line the operator is shown for it.
  struct RefusedConfiguration {
    std::string_view configuration;
    std::string_view message;
  };
  // Starts the plugin with each configuration, each on a fresh emulator: the start must be
  // refused, with `message` the last line logged, at Error.
  void expect_refused(std::initializer_list<RefusedConfiguration> cases);

  void TearDown() override;
  // The test's body, run again by the fault sweep.
  void TestBody() override = 0;

 private:
  struct Fault {
    size_t call = 0;  // counted over every emulator of the run
    StatusCode status = StatusCode::Ok;
  };
  void check();
  // The fault sweep: the body again for every (call, status), each with a fresh emulator.
  void sweep_faults();
  // One run of SetUp and the body with `fault` injected, in a child process; false (and a
  // test failure) when the plugin failed.
  bool run_with_fault(Fault fault, std::string_view import);
  fault_sweep::Outcome run_in_child(Fault fault);

  std::unique_ptr<Emulator> emu_;
  bool illegal_calls_expected_ = false;
  std::optional<Fault> fault_;  // during a fault-sweep run
  // The plugin's host calls in this run by emulators reset_emulator() replaced.
  std::vector<Host::PluginCall> earlier_calls_;
  bool faults_met_earlier_ = false;
  std::optional<std::string> trap_;  // the first trap of this run
};

}  // namespace coproxy::testing

#define COPROXY_PLUGIN_TEST_SUITE(suite, plugin)                                           \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                \
                           ::testing::ValuesIn(::coproxy::testing::both_backends(plugin)), \
                           ::coproxy::testing::backend_name)
