// vm_plugin_configuration on both backends: the VM configuration read once at VM start and the
// plugin configuration at plugin start, both logged and both on every response; a second
// plugin in the VM shares the deployment; a VM without its configuration fails to start.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;
using Logs = std::vector<std::string>;

class VmPluginConfigurationTest : public coproxy::testing::PluginTest {
 protected:
  Pairs response(uint32_t root) {
    const uint32_t stream = emu().open_stream(root);
    EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}}, true), Action::Continue);
    EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}, true), Action::Continue);
    return host().stream(stream).maps[2];
  }
  Logs logs() {
    Logs messages;
    for (const coproxy::testing::LogEntry& entry : host().logs()) messages.push_back(entry.message);
    return messages;
  }
};
COPROXY_PLUGIN_TEST_SUITE(VmPluginConfigurationTest, "vm_plugin_configuration");

TEST_P(VmPluginConfigurationTest, BothConfigurationsAreReadAtStartAndUsed) {
  const uint32_t root = emu().start_plugin("x-where", "edge", "eu-west-1");
  ASSERT_NE(root, 0u);
  // Twice: Envoy starts the plugin in a canary VM first, then in the worker's.
  const Logs start = {"vm_plugin_configuration: VM for deployment eu-west-1",
                      "vm_plugin_configuration: plugin 'edge' stamps x-where: eu-west-1"};
  EXPECT_EQ(logs(), (Logs{start[0], start[1], start[0], start[1]}));
  EXPECT_EQ(response(root), (Pairs{{":status", "200"}, {"x-where", "eu-west-1"}}));
}

TEST_P(VmPluginConfigurationTest, TheDefaultHeader) {
  const uint32_t root = emu().start_plugin("", "", "us-east-2");
  EXPECT_EQ(response(root), (Pairs{{":status", "200"}, {"x-deployment", "us-east-2"}}));
}

TEST_P(VmPluginConfigurationTest, ASecondPluginSharesTheVmsConfiguration) {
  const uint32_t first = emu().start_plugin("x-a", "a", "eu-west-1");
  const uint32_t second = emu().start_plugin("x-b", "b");  // the VM is already started
  // a's canary VM and the worker VM start (2 lines each), b's canary VM starts (2), and the
  // worker VM, started once, only configures b (1).
  EXPECT_EQ(logs().size(), 7u);
  EXPECT_EQ(logs()[5], "vm_plugin_configuration: plugin 'b' stamps x-b: eu-west-1");
  EXPECT_EQ(logs().back(), logs()[5]);
  EXPECT_EQ(response(first).back(), (std::pair<std::string, std::string>{"x-a", "eu-west-1"}));
  EXPECT_EQ(response(second).back(), (std::pair<std::string, std::string>{"x-b", "eu-west-1"}));
}

TEST_P(VmPluginConfigurationTest, AVmWithoutItsConfigurationFailsToStart) {
  EXPECT_EQ(emu().start_plugin("x-where", "edge", ""), 0u);
  EXPECT_EQ(logs(), Logs{"vm_plugin_configuration: the VM configuration must name the deployment"});
}

}  // namespace
