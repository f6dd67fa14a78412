// vm_plugin_configuration on both backends: the VM configuration read once at VM start and the
// plugin configuration at plugin start, both logged and both on every response; a second
// plugin in the VM shares the deployment; without a VM configuration (Istio) the plugin's names
// it; an incomplete VM configuration fails to start, and a bad configuration of either is
// refused with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;
using Logs = std::vector<std::string>;

constexpr const char* kEuWest = R"({"deployment": "eu-west-1"})";

class VmPluginConfigurationTest : public coproxy::testing::PluginTest {
 protected:
  Pairs response(uint32_t root) {
    const uint32_t stream = emu().open_stream(root);
    EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}}, true), Action::Continue);
    EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}, true), Action::Continue);
    return host().stream(stream).maps[2];
  }
};
COPROXY_PLUGIN_TEST_SUITE(VmPluginConfigurationTest, "vm_plugin_configuration");

TEST_P(VmPluginConfigurationTest, BothConfigurationsAreReadAtStartAndUsed) {
  const uint32_t root = emu().start_plugin(R"({"header": "x-where"})", "edge", kEuWest);
  ASSERT_NE(root, 0u);
  // Twice: Envoy starts the plugin in a canary VM first, then in the worker's.
  const Logs start = {"vm_plugin_configuration: VM for deployment eu-west-1",
                      "vm_plugin_configuration: plugin 'edge' stamps x-where: eu-west-1"};
  EXPECT_EQ(log_messages(), (Logs{start[0], start[1], start[0], start[1]}));
  EXPECT_EQ(response(root), (Pairs{{":status", "200"}, {"x-where", "eu-west-1"}}));
}

TEST_P(VmPluginConfigurationTest, TheDefaultHeader) {
  const uint32_t root = emu().start_plugin("", "", R"({"deployment": "us-east-2"})");
  EXPECT_EQ(response(root), (Pairs{{":status", "200"}, {"x-deployment", "us-east-2"}}));
}

TEST_P(VmPluginConfigurationTest, ASecondPluginSharesTheVmsConfiguration) {
  const uint32_t first = emu().start_plugin(R"({"header": "x-a"})", "a", kEuWest);
  const uint32_t second = emu().start_plugin(R"({"header": "x-b"})", "b");  // the VM is already started
  // a's canary VM and the worker VM start (2 lines each), b's canary VM starts (2), and the
  // worker VM, started once, only configures b (1).
  EXPECT_EQ(log_messages().size(), 7u);
  EXPECT_EQ(log_messages()[5], "vm_plugin_configuration: plugin 'b' stamps x-b: eu-west-1");
  EXPECT_EQ(log_messages().back(), log_messages()[5]);
  EXPECT_EQ(response(first).back(), (std::pair<std::string, std::string>{"x-a", "eu-west-1"}));
  EXPECT_EQ(response(second).back(), (std::pair<std::string, std::string>{"x-b", "eu-west-1"}));
}

// As Istio starts it: no VM configuration, the deployment in the plugin's (wasmplugin.yaml).
TEST_P(VmPluginConfigurationTest, WithoutAVmConfigurationThePluginNamesTheDeployment) {
  const uint32_t root =
      emu().start_plugin(R"({"deployment": "eu-west-1", "header": "x-deployment"})", "", "");
  ASSERT_NE(root, 0u);
  EXPECT_EQ(response(root), (Pairs{{":status", "200"}, {"x-deployment", "eu-west-1"}}));
  reset_emulator();
  EXPECT_EQ(emu().start_plugin(R"({"header": "x-deployment"})", "", ""), 0u);
  EXPECT_EQ(log_messages(), Logs{"invalid plugin configuration: $.deployment: required, the VM "
                                 "configuration names no deployment"});
}

// The plugin's deployment, where given, is the one it stamps.
TEST_P(VmPluginConfigurationTest, ThePluginsDeploymentWins) {
  const uint32_t root = emu().start_plugin(R"({"deployment": "canary"})", "", kEuWest);
  EXPECT_EQ(response(root), (Pairs{{":status", "200"}, {"x-deployment", "canary"}}));
}

TEST_P(VmPluginConfigurationTest, AnIncompleteVmConfigurationFailsToStart) {
  const std::pair<const char*, const char*> cases[] = {
      {"{}", "invalid vm configuration: $.deployment: required, missing"},
      {R"({"deployment": ""})", "invalid vm configuration: $.deployment: must name the deployment"},
      {R"({"deployment": 1})",
       "invalid vm configuration: $.deployment: expected a string, got the number 1"},
      {R"({"deployment": "eu-west-1", "region": "eu"})",
       "invalid vm configuration: $.region: unknown field (known: deployment)"},
      {"eu-west-1", "invalid vm configuration: $: not JSON: line 1, column 1: Invalid value."},
  };
  for (const auto& [vm_config, message] : cases) {
    reset_emulator();
    EXPECT_EQ(emu().start_plugin(R"({"header": "x-where"})", "edge", vm_config), 0u) << vm_config;
    EXPECT_EQ(log_messages(), Logs{message}) << vm_config;
  }
}

TEST_P(VmPluginConfigurationTest, ABadPluginConfigurationIsRefused) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"header": ""})", "invalid plugin configuration: $.header: must name a header"},
      {R"({"header": ["x-a"]})",
       "invalid plugin configuration: $.header: expected a string, got an array"},
      {R"({"headr": "x-a"})",
       "invalid plugin configuration: $.headr: unknown field (known: header, deployment)"},
      {"x-where", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  };
  for (const auto& [config, message] : cases) {
    reset_emulator();
    EXPECT_EQ(emu().start_plugin(config, "edge", kEuWest), 0u) << config;
    EXPECT_EQ(log_messages().back(), message) << config;
  }
}

}  // namespace
