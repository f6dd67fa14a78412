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
// fails the test (nothing is skipped).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/emulator.h"

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

  void TearDown() override { check(); }

 private:
  void check();
  std::unique_ptr<Emulator> emu_;
  bool illegal_calls_expected_ = false;
};

}  // namespace coproxy::testing

#define COPROXY_PLUGIN_TEST_SUITE(suite, plugin)                                           \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                \
                           ::testing::ValuesIn(::coproxy::testing::both_backends(plugin)), \
                           ::coproxy::testing::backend_name)
