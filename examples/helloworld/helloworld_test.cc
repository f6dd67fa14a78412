// helloworld on both backends: the start and every tick logged on the virtual clock, the
// response header, and a bad configuration refused with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;
using Logs = std::vector<std::string>;

class HelloWorldTest : public coproxy::testing::PluginTest {
 protected:
};
COPROXY_PLUGIN_TEST_SUITE(HelloWorldTest, "helloworld");

TEST_P(HelloWorldTest, LogsTheStartAndEveryTick) {
  const uint32_t root = emu().start_plugin(R"({"period": "250ms"})");
  ASSERT_NE(root, 0u);
  EXPECT_EQ(host().tick_period_ms(root), 250u);
  // Envoy's canary VM starts the plugin first, then throws it away: it never ticks.
  const Logs started(2, "helloworld: started, a tick every 250 ms");
  EXPECT_EQ(log_messages(), started);
  emu().advance(600);  // ticks at 250 and 500
  Logs ticked = started;
  ticked.insert(ticked.end(), {"helloworld: tick 1 at 250 ms", "helloworld: tick 2 at 500 ms"});
  EXPECT_EQ(log_messages(), ticked);
}

TEST_P(HelloWorldTest, TheDefaultPeriodIsOneSecond) {
  const uint32_t root = emu().start_plugin();
  EXPECT_EQ(host().tick_period_ms(root), 1000u);
  emu().advance(999);
  EXPECT_EQ(log_messages().size(), 2u);  // the start, in the canary VM and in this one
  emu().advance(1);
  EXPECT_EQ(log_messages().back(), "helloworld: tick 1 at 1000 ms");
}

TEST_P(HelloWorldTest, StampsEveryResponse) {
  const uint32_t stream = emu().open_stream(emu().start_plugin());
  EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}}, true), Action::Continue);
  EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}), Action::Continue);
  EXPECT_EQ(host().stream(stream).maps[2], (Pairs{{":status", "200"}, {"x-hello", "world"}}));
}

TEST_P(HelloWorldTest, ThePeriodIsANumberOfMillisecondsOrADuration) {
  EXPECT_EQ(host().tick_period_ms(emu().start_plugin(R"({"period": 40})")), 40u);
  EXPECT_EQ(host().tick_period_ms(emu().start_plugin(R"({"period": "2s"})")), 2000u);
  EXPECT_EQ(host().tick_period_ms(emu().start_plugin(R"({"period": null})")), 1000u);  // default
}

TEST_P(HelloWorldTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"period": "soon"})",
       "invalid plugin configuration: $.period: expected a number of milliseconds or a duration "
       "such as \"250ms\", \"1.5s\", \"2m\", got the string \"soon\""},
      {R"({"period": 0})", "invalid plugin configuration: $.period: must be at least 1ms"},
      {R"({"period": "10us"})",
       "invalid plugin configuration: $.period: expected a whole number of milliseconds, got the "
       "string \"10us\""},
      {R"({"perod": 250})", "invalid plugin configuration: $.perod: unknown field (known: period)"},
      {"250ms", "invalid plugin configuration: $: not JSON: line 1, column 4: The document root "
                "must not be followed by other values."},
      {"soon", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
