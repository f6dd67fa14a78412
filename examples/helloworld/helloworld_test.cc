// helloworld on both backends: the start and every tick logged on the virtual clock, the
// response header, and a bad tick period refused.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;
using Logs = std::vector<std::string>;

class HelloWorldTest : public coproxy::testing::PluginTest {
 protected:
  Logs logs() {
    Logs messages;
    for (const coproxy::testing::LogEntry& entry : host().logs()) messages.push_back(entry.message);
    return messages;
  }
};
COPROXY_PLUGIN_TEST_SUITE(HelloWorldTest, "helloworld");

TEST_P(HelloWorldTest, LogsTheStartAndEveryTick) {
  const uint32_t root = emu().start_plugin("250");
  ASSERT_NE(root, 0u);
  EXPECT_EQ(host().tick_period_ms(root), 250u);
  // Envoy's canary VM starts the plugin first, then throws it away: it never ticks.
  const Logs started(2, "helloworld: started, a tick every 250 ms");
  EXPECT_EQ(logs(), started);
  emu().advance(600);  // ticks at 250 and 500
  Logs ticked = started;
  ticked.insert(ticked.end(), {"helloworld: tick 1 at 250 ms", "helloworld: tick 2 at 500 ms"});
  EXPECT_EQ(logs(), ticked);
}

TEST_P(HelloWorldTest, TheDefaultPeriodIsOneSecond) {
  const uint32_t root = emu().start_plugin();
  EXPECT_EQ(host().tick_period_ms(root), 1000u);
  emu().advance(999);
  EXPECT_EQ(logs().size(), 2u);  // the start, in the canary VM and in this one
  emu().advance(1);
  EXPECT_EQ(logs().back(), "helloworld: tick 1 at 1000 ms");
}

TEST_P(HelloWorldTest, StampsEveryResponse) {
  const uint32_t stream = emu().open_stream(emu().start_plugin());
  EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}}, true), Action::Continue);
  EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}), Action::Continue);
  EXPECT_EQ(host().stream(stream).maps[2], (Pairs{{":status", "200"}, {"x-hello", "world"}}));
}

TEST_P(HelloWorldTest, ABadPeriodIsRefused) {
  EXPECT_EQ(emu().start_plugin("soon"), 0u);
  EXPECT_EQ(logs().back(), "helloworld: the configuration must be a tick period in ms, not 'soon'");
  EXPECT_EQ(emu().start_plugin("0"), 0u);
  EXPECT_EQ(emu().start_plugin("10ms"), 0u);
}

}  // namespace
