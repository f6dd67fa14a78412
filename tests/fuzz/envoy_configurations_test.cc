// Every example starts with the configuration its envoy.yaml gives it (natively: the examples'
// own tests run both backends), so that the configuration an operator copies from an example
// is one the plugin accepts, and the event fuzzer, which starts examples with these, fuzzes
// their work rather than their refusal.
#include <span>
#include <string>

#include "gtest/gtest.h"
#include "testing/emulator.h"
#include "testing/native_plugin.h"
#include "tests/fuzz/envoy_configurations.h"

namespace {

using coproxy::testing::Emulator;
using coproxy::testing::load_native;

void expect_every_plugin_starts(std::span<const EnvoyConfiguration> configurations,
                                const char* source) {
  for (const EnvoyConfiguration& c : configurations) {
    Emulator emu(load_native(c.plugin));
    ASSERT_TRUE(emu.loaded()) << c.plugin << " is not linked in";
    const uint32_t root = emu.start_plugin(c.configuration, c.root_id, c.vm_configuration);
    std::string log;
    for (const auto& entry : emu.host().logs()) log += "\n  " + entry.message;
    EXPECT_NE(root, 0u) << c.plugin << " refused its " << source << "'s configuration '"
                        << c.configuration << "':" << log;
  }
}

TEST(EnvoyConfigurations, EveryExampleStartsWithItsOwn) {
  ASSERT_GT(std::size(kEnvoyConfigurations), 30u);
  expect_every_plugin_starts(kEnvoyConfigurations, "envoy.yaml");
}

// Istio hands the plugin its WasmPlugin's pluginConfig re-serialized (compact, keys sorted,
// numbers as doubles) and no VM configuration: each example starts with that too.
TEST(EnvoyConfigurations, EveryExampleStartsWithItsIstioPluginConfig) {
  ASSERT_GT(std::size(kIstioConfigurations), 30u);
  expect_every_plugin_starts(kIstioConfigurations, "wasmplugin.yaml");
}

}  // namespace
