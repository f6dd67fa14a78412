// dispatch_call_on_tick on both backends: a callout every period on the virtual clock, its
// answer logged and kept; a failed or timed-out call logged and counted while the loop goes
// on; no call once the plugin is gone (a late answer dropped); a bad period refused.
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::StatusCode;
using coproxy::testing::Pairs;

class DispatchCallOnTickTest : public coproxy::testing::PluginTest {
 protected:
  std::vector<std::string> logs() {
    std::vector<std::string> messages;
    for (const coproxy::testing::LogEntry& entry : host().logs()) messages.push_back(entry.message);
    return messages;
  }
  std::string last_body() {
    std::string value;
    uint32_t cas = 0;
    if (host().get_shared_data("dispatch_call_on_tick_last", &value, &cas) != StatusCode::Ok) {
      return "<none>";
    }
    return value;
  }
  uint32_t last_token() { return host().http_callouts().back().token; }
};
COPROXY_PLUGIN_TEST_SUITE(DispatchCallOnTickTest, "dispatch_call_on_tick");

TEST_P(DispatchCallOnTickTest, CallsOncePerPeriodAndKeepsTheAnswer) {
  ASSERT_NE(emu().start_plugin("500"), 0u);
  emu().advance(499);
  EXPECT_TRUE(host().http_callouts().empty());
  emu().advance(1);
  ASSERT_EQ(host().http_callouts().size(), 1u);
  const coproxy::testing::HttpCallout& call = host().http_callouts()[0];
  EXPECT_EQ(call.upstream, "web_service");
  EXPECT_EQ(call.headers,
            (Pairs{{":method", "GET"}, {":path", "/tick"}, {":authority", "web_service"}}));
  EXPECT_EQ(call.timeout_ms, 1000u);
  emu().advance(200);  // the answer takes 200 ms: the next period starts from it
  emu().answer_http_call(call.token, {{":status", "200"}}, "hello");
  EXPECT_EQ(logs(),
            std::vector<std::string>{"dispatch_call_on_tick: web_service answered 200, 5 bytes"});
  EXPECT_EQ(last_body(), "hello");
  emu().advance(499);
  EXPECT_EQ(host().http_callouts().size(), 1u);
  emu().advance(1);
  ASSERT_EQ(host().http_callouts().size(), 2u);
  emu().answer_http_call(last_token(), {{":status", "503"}}, "");
  EXPECT_EQ(logs().back(), "dispatch_call_on_tick: web_service answered 503, 0 bytes");
  EXPECT_EQ(last_body(), "");
}

TEST_P(DispatchCallOnTickTest, TheDefaultPeriodIsOneSecond) {
  ASSERT_NE(emu().start_plugin(), 0u);
  emu().advance(999);
  EXPECT_TRUE(host().http_callouts().empty());
  emu().advance(1);
  EXPECT_EQ(host().http_callouts().size(), 1u);
}

TEST_P(DispatchCallOnTickTest, AFailedCallIsLoggedAndTheLoopGoesOn) {
  ASSERT_NE(emu().start_plugin("100"), 0u);
  emu().advance(100);
  emu().fail_http_call(last_token());
  EXPECT_EQ(logs(),
            std::vector<std::string>{"dispatch_call_on_tick: no answer (BROKEN_CONNECTION)"});
  EXPECT_EQ(host().metric_value("dispatch_call_on_tick_failures_total"), 1u);
  EXPECT_EQ(last_body(), "<none>");
  emu().advance(100);
  EXPECT_EQ(host().http_callouts().size(), 2u);
}

TEST_P(DispatchCallOnTickTest, ACallThatNeverAnswersTimesOut) {
  ASSERT_NE(emu().start_plugin("100"), 0u);
  emu().advance(100);
  emu().advance(999);
  EXPECT_TRUE(logs().empty());
  emu().advance(1);  // the callout's 1 s timeout
  EXPECT_EQ(logs(),
            std::vector<std::string>{"dispatch_call_on_tick: no answer (BROKEN_CONNECTION)"});
  EXPECT_EQ(host().metric_value("dispatch_call_on_tick_failures_total"), 1u);
  emu().advance(100);  // the next round
  EXPECT_EQ(host().http_callouts().size(), 2u);
}

TEST_P(DispatchCallOnTickTest, NothingRunsOnceThePluginIsGone) {
  const uint32_t root = emu().start_plugin("100");
  emu().advance(100);
  const uint32_t token = last_token();
  EXPECT_TRUE(emu().stop_plugin(root));
  emu().delete_context(root);
  emu().answer_http_call(token, {{":status", "200"}}, "late");  // dropped
  emu().advance(1000);
  EXPECT_EQ(host().http_callouts().size(), 1u);
  EXPECT_TRUE(logs().empty());
  EXPECT_EQ(last_body(), "<none>");
}

TEST_P(DispatchCallOnTickTest, ABadPeriodIsRefused) {
  EXPECT_EQ(emu().start_plugin("soon"), 0u);
  EXPECT_EQ(logs().back(),
            "dispatch_call_on_tick: the period must be milliseconds > 0, not 'soon'");
  reset_emulator();
  EXPECT_EQ(emu().start_plugin("0"), 0u);
  emu().advance(5000);
  EXPECT_TRUE(host().http_callouts().empty());
}

}  // namespace
