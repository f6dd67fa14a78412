// Every example starts with the configuration its envoy.yaml gives it (natively: the examples'
// own tests run both backends), so that the configuration an operator copies from an example
// is one the plugin accepts, and the event fuzzer, which starts examples with these, fuzzes
// their work rather than their refusal.
#include <string>

#include "gtest/gtest.h"
#include "testing/emulator.h"
#include "testing/native_plugin.h"
#include "tests/fuzz/envoy_configurations.h"

namespace {

using coproxy::testing::Emulator;
using coproxy::testing::load_native;

TEST(EnvoyConfigurations, EveryExampleStartsWithItsOwn) {
  ASSERT_GT(std::size(kEnvoyConfigurations), 30u);
  for (const EnvoyConfiguration& c : kEnvoyConfigurations) {
    Emulator emu(load_native(c.plugin));
    ASSERT_TRUE(emu.loaded()) << c.plugin << " is not linked in";
    const uint32_t root = emu.start_plugin(c.configuration, c.root_id, c.vm_configuration);
    std::string log;
    for (const auto& entry : emu.host().logs()) log += "\n  " + entry.message;
    EXPECT_NE(root, 0u) << c.plugin << " refused its envoy.yaml's configuration '"
                        << c.configuration << "':" << log;
  }
}

}  // namespace
