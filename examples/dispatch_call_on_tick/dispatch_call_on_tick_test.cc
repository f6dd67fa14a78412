// dispatch_call_on_tick on both backends: a callout every period on the virtual clock, at a
// fixed rate (a slow answer does not push later rounds back), its answer logged and kept; a failed or timed-out call logged and counted while the loop goes
// on; no call once the plugin is gone (a late answer dropped); a bad configuration refused with
// the operator's message; of a run of failures only the first logged, and the answer after it
// says how many; one VM calls while it holds the shared lease, another once the lease expires.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::StatusCode;
using coproxy::testing::Pairs;

class DispatchCallOnTickTest : public coproxy::testing::PluginTest {
 protected:
  std::string last_body() {
    std::string value;
    uint32_t cas = 0;
    if (host().get_shared_data("dispatch_call_on_tick_last", &value, &cas) != StatusCode::Ok) {
      return "<none>";
    }
    return value;
  }
  uint32_t last_token() { return host().http_callouts().back().token; }
  uint64_t now_ns() {
    uint64_t now = 0;
    EXPECT_EQ(host().get_current_time_nanoseconds(&now), StatusCode::Ok);
    return now;
  }
  // The shared lease's value, "HOLDER EXPIRY".
  std::string lease() {
    std::string value;
    uint32_t cas = 0;
    host().get_shared_data("dispatch_call_on_tick_lease", &value, &cas);
    return value;
  }
  // Another worker's VM holds the lease for `ms` more.
  void another_vm_holds_the_lease(uint64_t ms) {
    std::string value;
    uint32_t cas = 0;
    host().get_shared_data("dispatch_call_on_tick_lease", &value, &cas);
    ASSERT_EQ(host().set_shared_data("dispatch_call_on_tick_lease",
                                     "other " + std::to_string(now_ns() + ms * 1'000'000), cas),
              StatusCode::Ok);
  }
};
COPROXY_PLUGIN_TEST_SUITE(DispatchCallOnTickTest, "dispatch_call_on_tick");

TEST_P(DispatchCallOnTickTest, CallsOncePerPeriodAndKeepsTheAnswer) {
  ASSERT_NE(emu().start_plugin(R"({"period": 500})"), 0u);
  emu().advance(499);
  EXPECT_TRUE(host().http_callouts().empty());
  emu().advance(1);
  ASSERT_EQ(host().http_callouts().size(), 1u);
  const coproxy::testing::HttpCallout& call = host().http_callouts()[0];
  EXPECT_EQ(call.upstream, "web_service");
  EXPECT_EQ(call.headers,
            (Pairs{{":method", "GET"}, {":path", "/tick"}, {":authority", "web_service"}}));
  EXPECT_EQ(call.timeout_ms, 1000u);
  emu().advance(200);  // the answer takes 200 ms: the next round is still due at 1000 ms
  emu().answer_http_call(call.token, {{":status", "200"}}, "hello");
  EXPECT_EQ(log_messages(),
            std::vector<std::string>{"dispatch_call_on_tick: web_service answered 200, 5 bytes"});
  EXPECT_EQ(last_body(), "hello");
  emu().advance(299);
  EXPECT_EQ(host().http_callouts().size(), 1u);
  emu().advance(1);
  ASSERT_EQ(host().http_callouts().size(), 2u);  // at 1000 ms, not 1200: no drift
  emu().answer_http_call(last_token(), {{":status", "503"}}, "");
  EXPECT_EQ(log_messages().back(), "dispatch_call_on_tick: web_service answered 503, 0 bytes");
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
  ASSERT_NE(emu().start_plugin(R"({"period": "100ms"})"), 0u);
  emu().advance(100);
  emu().fail_http_call(last_token());
  EXPECT_EQ(log_messages(),
            std::vector<std::string>{"dispatch_call_on_tick: no answer (BROKEN_CONNECTION)"});
  EXPECT_EQ(host().metric_value("dispatch_call_on_tick_failures_total"), 1u);
  EXPECT_EQ(last_body(), "<none>");
  emu().advance(100);
  EXPECT_EQ(host().http_callouts().size(), 2u);
}

TEST_P(DispatchCallOnTickTest, ARunOfFailuresIsLoggedOnceAndItsEndSaysHowLong) {
  ASSERT_NE(emu().start_plugin(R"({"period": "100ms"})"), 0u);
  for (int round = 0; round < 3; ++round) {
    emu().advance(100);
    emu().fail_http_call(last_token());
  }
  EXPECT_EQ(log_messages(),
            std::vector<std::string>{"dispatch_call_on_tick: no answer (BROKEN_CONNECTION)"});
  EXPECT_EQ(host().metric_value("dispatch_call_on_tick_failures_total"), 3u);
  emu().advance(100);
  emu().answer_http_call(last_token(), {{":status", "200"}}, "ok");
  EXPECT_EQ(log_messages(),
            (std::vector<std::string>{
                "dispatch_call_on_tick: no answer (BROKEN_CONNECTION)",
                "dispatch_call_on_tick: web_service answers again, after 3 rounds without",
                "dispatch_call_on_tick: web_service answered 200, 2 bytes"}));
  emu().advance(100);
  emu().fail_http_call(last_token());  // a new run of failures: logged again
  EXPECT_EQ(log_messages().back(), "dispatch_call_on_tick: no answer (BROKEN_CONNECTION)");
}

TEST_P(DispatchCallOnTickTest, OneVmCallsWhileItHoldsTheLease) {
  ASSERT_NE(emu().start_plugin(R"({"period": "100ms"})"), 0u);
  emu().advance(100);
  ASSERT_EQ(host().http_callouts().size(), 1u);
  // Ours now, for three periods from this round: "N.T EXPIRY".
  const std::string ours = lease();
  EXPECT_EQ(ours.substr(ours.find(' ') + 1), std::to_string(now_ns() + 300'000'000));
  emu().answer_http_call(last_token(), {{":status", "200"}}, "a");
  // Another worker's VM took the lease (ours lapsed, say): its rounds call, ours do not.
  another_vm_holds_the_lease(250);
  emu().advance(200);
  EXPECT_EQ(host().http_callouts().size(), 1u);
  EXPECT_EQ(lease().substr(0, 6), "other ");
  // It stopped renewing: once the lease is past its time, the next round of ours takes it.
  emu().advance(100);  // 250 ms after it was taken: expired at this round
  EXPECT_EQ(host().http_callouts().size(), 2u);
  EXPECT_EQ(lease().substr(0, lease().find(' ')), ours.substr(0, ours.find(' ')));
}

TEST_P(DispatchCallOnTickTest, ACallThatNeverAnswersTimesOut) {
  ASSERT_NE(emu().start_plugin(R"({"period": "100ms"})"), 0u);
  emu().advance(100);
  emu().advance(999);
  EXPECT_TRUE(log_messages().empty());
  emu().advance(1);  // the callout's 1 s timeout, at 1100 ms
  EXPECT_EQ(log_messages(),
            std::vector<std::string>{"dispatch_call_on_tick: no answer (BROKEN_CONNECTION)"});
  EXPECT_EQ(host().metric_value("dispatch_call_on_tick_failures_total"), 1u);
  // The rounds due at 200 .. 1100 ms passed during the call: skipped, not run in a burst.
  emu().advance(99);
  EXPECT_EQ(host().http_callouts().size(), 1u);
  emu().advance(1);  // 1200 ms: the next round, on the grid
  EXPECT_EQ(host().http_callouts().size(), 2u);
}

TEST_P(DispatchCallOnTickTest, NothingRunsOnceThePluginIsGone) {
  const uint32_t root = emu().start_plugin(R"({"period": "100ms"})");
  emu().advance(100);
  const uint32_t token = last_token();
  EXPECT_TRUE(emu().stop_plugin(root));
  emu().delete_context(root);
  emu().answer_http_call(token, {{":status", "200"}}, "late");  // dropped
  emu().advance(1000);
  EXPECT_EQ(host().http_callouts().size(), 1u);
  EXPECT_TRUE(log_messages().empty());
  EXPECT_EQ(last_body(), "<none>");
}

TEST_P(DispatchCallOnTickTest, ThePeriodTakesAUnit) {
  ASSERT_NE(emu().start_plugin(R"({"period": "1.5s"})"), 0u);
  emu().advance(1499);
  EXPECT_TRUE(host().http_callouts().empty());
  emu().advance(1);
  EXPECT_EQ(host().http_callouts().size(), 1u);
}

TEST_P(DispatchCallOnTickTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"period": "soon"})",
       "invalid plugin configuration: $.period: expected a number of milliseconds or a duration "
       "such as \"250ms\", \"1.5s\", \"2m\", got the string \"soon\""},
      {R"({"period": 0})", "invalid plugin configuration: $.period: must be at least 1ms"},
      {R"({"perod": 500})", "invalid plugin configuration: $.perod: unknown field (known: period)"},
      {"500", "invalid plugin configuration: $: expected an object, got the number 500"},
      {"period=500", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
  emu().advance(5000);
  EXPECT_TRUE(host().http_callouts().empty());
}

}  // namespace
