#include "testing/plugin_test.h"

#include "testing/native_plugin.h"
#include "testing/wasm_plugin.h"

namespace coproxy::testing {

std::vector<PluginUnderTest> both_backends(const std::string& plugin) {
  return {{Backend::Native, plugin}, {Backend::Wasm, plugin}};
}

PluginLoader loader_for(const PluginUnderTest& param) {
  return param.backend == Backend::Native ? load_native(param.plugin) : load_wasm(param.plugin);
}

void PrintTo(const PluginUnderTest& param, std::ostream* out) {
  *out << param.plugin << (param.backend == Backend::Native ? " (native)" : " (wasm)");
}

std::string backend_name(const ::testing::TestParamInfo<PluginUnderTest>& info) {
  return info.param.backend == Backend::Native ? "native" : "wasm";
}

std::string plugin_and_backend_name(const ::testing::TestParamInfo<PluginUnderTest>& info) {
  return info.param.plugin + "_" + backend_name(info);
}

void PluginTest::reset_emulator(HostBehaviour behaviour) {
  if (emu_) check();
  emu_ = std::make_unique<Emulator>(loader_for(GetParam()), behaviour);
  ASSERT_TRUE(emu_->loaded()) << "plugin '" << GetParam().plugin << "' is not linked in for the "
                              << (GetParam().backend == Backend::Native ? "native" : "wasm")
                              << " backend (add its _native / _wasm2c target to the test)";
}

void PluginTest::check() {
  if (!emu_ || !emu_->loaded()) return;
  if (std::optional<std::string> trap = emu_->plugin().trap_message()) {
    ADD_FAILURE() << "the plugin trapped: " << *trap;
  }
  if (!illegal_calls_expected_) {
    EXPECT_TRUE(host().illegal_calls().empty()) << "illegal host calls:\n"
                                                << describe(host().illegal_calls());
  }
}

}  // namespace coproxy::testing
