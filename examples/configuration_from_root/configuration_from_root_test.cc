// configuration_from_root on both backends: the configuration parsed once at start and read by
// every stream; a header the client sent is replaced; two plugin contexts in one VM keep their
// own; a configuration that is not JSON, or does not fit, is refused with the operator's message.
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

class ConfigurationFromRootTest : public coproxy::testing::PluginTest {
 protected:
  Pairs request(uint32_t root, Pairs headers) {
    const uint32_t stream = emu().open_stream(root);
    EXPECT_EQ(emu().send_request_headers(stream, std::move(headers), true), Action::Continue);
    return host().stream(stream).maps[0];
  }
};
COPROXY_PLUGIN_TEST_SUITE(ConfigurationFromRootTest, "configuration_from_root");

TEST_P(ConfigurationFromRootTest, EveryStreamReadsTheParsedConfiguration) {
  const uint32_t root = emu().start_plugin(R"({"headers": {"x-env": "prod", "x-team": "core"}})");
  EXPECT_EQ(last_log_message(), "configuration_from_root: 2 headers for plugin ''");
  const Pairs expected = {{":path", "/"}, {"x-env", "prod"}, {"x-team", "core"}};
  EXPECT_EQ(request(root, {{":path", "/"}}), expected);
  EXPECT_EQ(request(root, {{":path", "/"}}), expected);  // parsed once, read again
}

TEST_P(ConfigurationFromRootTest, AHeaderTheClientSentIsReplaced) {
  const uint32_t root = emu().start_plugin(R"({"headers": {"x-env": "prod"}})");
  EXPECT_EQ(request(root, {{":path", "/"}, {"x-env", "dev"}}),
            (Pairs{{":path", "/"}, {"x-env", "prod"}}));
}

TEST_P(ConfigurationFromRootTest, TwoPluginsInOneVmKeepTheirOwn) {
  const uint32_t blue = emu().start_plugin(R"({"headers": {"x-color": "blue"}})", "blue");
  const uint32_t green = emu().start_plugin(R"({"headers": {"x-color": "green", "x-empty": ""}})", "green");
  EXPECT_EQ(last_log_message(), "configuration_from_root: 2 headers for plugin 'green'");
  EXPECT_EQ(request(blue, {{":path", "/"}}), (Pairs{{":path", "/"}, {"x-color", "blue"}}));
  EXPECT_EQ(request(green, {{":path", "/"}}),
            (Pairs{{":path", "/"}, {"x-color", "green"}, {"x-empty", ""}}));
}

TEST_P(ConfigurationFromRootTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"headers": {"x-env": 1}})",
       "invalid plugin configuration: $.headers.x-env: expected a string, got the number 1"},
      {R"({"headers": {}})", "invalid plugin configuration: $.headers: must name at least one header"},
      {R"({"header": {"x-env": "prod"}})", "invalid plugin configuration: $.headers: required, missing"},
      {"x-env=prod", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
      {"", "invalid plugin configuration: $: required, the configuration is empty"},
  });
}

}  // namespace
