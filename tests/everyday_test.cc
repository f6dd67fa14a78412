// The everyday API through tests/coro/everyday_probe, on both backends: configuration reached
// from a stream, header arrays, nested combinators (issue: they did not compile), fail-fast
// fan-out with a deadline, shared counters and updates, metrics as plain members, the host
// clock, and a background queue consumer by queue name.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace coproxy::testing {
namespace {

using Logs = std::vector<std::string>;
using Pair = std::pair<std::string, std::string>;

class EverydayTest : public PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin("x-tag"); }
  void restart(std::string config) {
    reset_emulator();
    root_ = emu().start_plugin(std::move(config));
  }
  uint32_t request(Pairs headers) {
    const uint32_t stream = emu().open_stream(root_);
    last_ = emu().send_request_headers(stream, std::move(headers), true);
    return stream;
  }
  uint32_t callout(const std::string& upstream) {
    for (const HttpCallout& call : host().http_callouts()) {
      if (call.upstream == upstream) return call.token;
    }
    ADD_FAILURE() << "no callout to " << upstream;
    return 0;
  }
  const StreamState& stream(uint32_t id) { return host().stream(id); }

  uint32_t root_ = 0;
  Emulator::Delivery last_;
};
COPROXY_PLUGIN_TEST_SUITE(EverydayTest, "everyday_probe");

TEST_P(EverydayTest, StreamsReadTheirPluginsConfigurationAndState) {
  const uint32_t first = request({{"x-mode", "tag"}});
  const uint32_t second = request({{"x-mode", "tag"}});
  EXPECT_EQ(stream(first).maps[0].back(), (Pair{"x-tag", "1"}));
  EXPECT_EQ(stream(second).maps[0].back(), (Pair{"x-tag", "2"}));
}

TEST_P(EverydayTest, AConfigurationWithoutAHeaderIsRefused) {
  reset_emulator();
  EXPECT_EQ(emu().start_plugin(""), 0u);
  EXPECT_EQ(last_log_message(), "everyday: the configuration must name a header");
}

TEST_P(EverydayTest, AHeaderListFromACArray) {
  request({{"x-mode", "array"}});
  EXPECT_EQ(last_, Action::Pause);
  EXPECT_EQ(host().http_callouts()[0].headers,
            (Pairs{{":method", "GET"}, {":path", "/check"}, {":authority", "auth"}}));
  emu().answer_http_call(callout("auth"), {{":status", "204"}});
  EXPECT_EQ(log_messages(), Logs{"array 204"});
}

TEST_P(EverydayTest, ATimeoutAroundWhenAll) {
  const uint32_t both = request({{"x-mode", "nested"}, {"x-ms", "100"}});
  emu().answer_http_call(callout("b"), {{":status", "201"}});
  emu().answer_http_call(callout("a"), {{":status", "200"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch b", "destroyed branch a", "nested 200 201"}));
  EXPECT_EQ(stream(both).continued, std::vector<StreamType>{StreamType::HttpRequest});

  const size_t before = log_messages().size();
  const uint32_t late = request({{"x-mode", "nested"}, {"x-ms", "100"}});
  emu().answer_http_call(host().http_callouts()[2].token, {{":status", "200"}});  // "a" only
  emu().advance(100);  // the deadline: "b" is cancelled, "a"'s result is dropped with it
  const Logs all = log_messages();
  EXPECT_EQ(Logs(all.begin() + static_cast<long>(before), all.end()),
            (Logs{"destroyed branch a", "destroyed branch b", "nested error 257"}));
  EXPECT_EQ(stream(late).continued, std::vector<StreamType>{StreamType::HttpRequest});
  emu().answer_http_call(host().http_callouts()[3].token, {{":status", "200"}});  // dropped
}

TEST_P(EverydayTest, WhenAnyOfAWhenAll) {
  request({{"x-mode", "race"}});
  emu().advance(20);  // both sleeps of the when_all are done before the 30 ms one
  EXPECT_EQ(log_messages(), Logs{"race 0"});
  emu().advance(100);  // the losing sleep was cancelled: nothing more happens
  EXPECT_EQ(log_messages(), Logs{"race 0"});
}

TEST_P(EverydayTest, FailFastFanOutEndsOnTheFirstFailure) {
  const uint32_t denied = request({{"x-mode", "fanout"}, {"x-ms", "500"}});
  EXPECT_EQ(host().http_callouts().size(), 2u);
  const uint32_t users = callout("users");
  emu().answer_http_call(callout("authz"), {{":status", "401"}});  // users is still out
  ASSERT_TRUE(stream(denied).local_response.has_value());
  EXPECT_EQ(stream(denied).local_response->status_code, 403u);
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch authz", "destroyed branch users", "fanout 401 error 258"}));
  emu().answer_http_call(users, {{":status", "200"}});  // late: dropped
  EXPECT_EQ(log_messages().size(), 3u);

  const uint32_t allowed = request({{"x-mode", "fanout"}, {"x-ms", "500"}});
  emu().answer_http_call(host().http_callouts()[3].token, {{":status", "200"}, {"x-user", "ada"}});
  emu().answer_http_call(host().http_callouts()[2].token, {{":status", "200"}});
  EXPECT_FALSE(stream(allowed).local_response.has_value());
  EXPECT_EQ(stream(allowed).maps[0].back(), (Pair{"x-user", "ada"}));

  const uint32_t slow = request({{"x-mode", "fanout"}, {"x-ms", "500"}});
  emu().advance(500);
  ASSERT_TRUE(stream(slow).local_response.has_value());
  EXPECT_EQ(stream(slow).local_response->status_code, 504u);
  EXPECT_EQ(log_messages().back(), "fanout error 257");
}

TEST_P(EverydayTest, FailFastFanOutWhoseCalloutIsRefused) {
  // No such cluster: the host refuses the callout at once (BadArgument), so the second
  // branch is never started.
  const uint32_t s = request({{"x-mode", "fanout"}, {"x-ms", "500"}, {"x-authz", ""}});
  EXPECT_EQ(last_, Action::Pause);
  EXPECT_TRUE(host().http_callouts().empty());
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch authz", "fanout error 2 error 258"}));
  EXPECT_EQ(stream(s).local_response->status_code, 403u);
}

TEST_P(EverydayTest, SharedCounterAndUpdate) {
  request({{"x-mode", "count"}});
  request({{"x-mode", "count"}});
  EXPECT_EQ(log_messages(), (Logs{"count 1 0", "count 2 0"}));
  std::string value;
  uint32_t cas = 0;
  ASSERT_EQ(host().get_shared_data("hits", &value, &cas), StatusCode::Ok);
  EXPECT_EQ(value, "2");
  ASSERT_EQ(host().get_shared_data("seen", &value, &cas), StatusCode::Ok);
  EXPECT_EQ(value, "xx");
}

// The plugin's member metrics are in the host's stats from its start, at 0 (a dashboard's
// "> 0" alert sees them before the first request); each is defined once.
TEST_P(EverydayTest, MetricsArePluginMembersDefinedAtItsStartWithTagsInTheName) {
  ASSERT_EQ(host().metrics().size(), 3u);
  EXPECT_EQ(host().metrics()[0].name, "everyday_requests_total");
  EXPECT_EQ(host().metrics()[1].name, "everyday_jobs_queue=jobs");
  EXPECT_EQ(host().metrics()[2].name, "everyday_ms");
  EXPECT_EQ(host().metric_value("everyday_requests_total"), 0u);
  request({{"x-mode", "tag"}});
  request({{"x-mode", "tag"}});
  EXPECT_EQ(host().metric_value("everyday_requests_total"), 2u);
  EXPECT_EQ(host().metrics().size(), 3u);  // none defined again
}

TEST_P(EverydayTest, TheStopwatchRunsOnTheHostClock) {
  request({{"x-mode", "race"}});  // the when_all (10 and 20 ms) wins after 20 ms
  emu().advance(30);
  EXPECT_EQ(host().metric_value("everyday_ms"), 20u);  // a histogram keeps its last sample
}

TEST_P(EverydayTest, BackgroundConsumerByQueueName) {
  restart("x-tag consumer");
  uint32_t queue = 0;
  ASSERT_EQ(host().resolve_shared_queue(Host::kVmId, "jobs", &queue), StatusCode::Ok);
  for (const char* job : {"one", "two"}) {
    ASSERT_EQ(host().enqueue_shared_queue(queue, job), StatusCode::Ok);
    emu().deliver_queue_ready();
  }
  EXPECT_EQ(log_messages(), (Logs{"job one 1", "job two 2"}));
  EXPECT_EQ(host().metric_value("everyday_jobs_queue=jobs"), 2u);
}

}  // namespace
}  // namespace coproxy::testing
