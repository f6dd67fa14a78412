// rate_limiter on both backends: the bucket empties (429 with retry-after), the background
// task refills it each interval up to its capacity, an interval another worker already
// refilled is not refilled twice, an unreadable bucket denies until the next refill resets
// it, the task stops with the plugin, the defaults, bad configurations refused with the
// operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StatusCode;
using coproxy::testing::Pairs;

class RateLimiterTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"capacity": 2, "refill": 1, "interval": "100ms"})"); }
  // The statuses of `n` requests in a row: 200 for one that goes on.
  std::vector<uint32_t> requests(int n) {
    std::vector<uint32_t> statuses;
    for (int i = 0; i < n; ++i) {
      const uint32_t s = emu().open_stream(root_);
      const auto action = emu().send_request_headers(s, {{":path", "/"}}, true);
      const auto& reply = host().stream(s).local_response;
      statuses.push_back(reply ? reply->status_code : action == Action::Continue ? 200 : 0);
      emu().end_stream(s);
    }
    return statuses;
  }
  std::string bucket() {
    std::string value;
    uint32_t cas = 0;
    EXPECT_EQ(host().get_shared_data("rate_limiter_bucket", &value, &cas), StatusCode::Ok);
    return value;
  }
  void set_bucket(const std::string& value) {
    EXPECT_EQ(host().set_shared_data("rate_limiter_bucket", value, 0), StatusCode::Ok);
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(RateLimiterTest, "rate_limiter");

TEST_P(RateLimiterTest, AnEmptyBucketIsA429UntilTheNextRefill) {
  EXPECT_EQ(bucket(), "2 0");  // full at start, interval 0
  EXPECT_EQ(requests(3), (std::vector<uint32_t>{200, 200, 429}));
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":path", "/"}}, true);
  ASSERT_TRUE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().stream(s).local_response->body, "too many requests");
  EXPECT_EQ(host().stream(s).local_response->headers, (Pairs{{"retry-after", "1"}}));
  EXPECT_EQ(host().metric_value("rate_limiter_limited_total"), 2u);
  EXPECT_EQ(bucket(), "0 0");

  emu().advance(99);
  EXPECT_EQ(requests(1), std::vector<uint32_t>{429});
  emu().advance(1);  // interval 1: one token
  EXPECT_EQ(bucket(), "1 1");
  EXPECT_EQ(requests(2), (std::vector<uint32_t>{200, 429}));
}

TEST_P(RateLimiterTest, RefillsStopAtTheCapacity) {
  requests(2);
  emu().advance(500);
  EXPECT_EQ(bucket(), "2 5");
  EXPECT_EQ(requests(3), (std::vector<uint32_t>{200, 200, 429}));
}

TEST_P(RateLimiterTest, AnIntervalAnotherWorkerRefilledIsNotRefilledAgain) {
  emu().advance(50);
  set_bucket("0 1");  // another worker's VM was first for interval 1
  emu().advance(50);
  EXPECT_EQ(bucket(), "0 1");
  emu().advance(100);
  EXPECT_EQ(bucket(), "1 2");
}

TEST_P(RateLimiterTest, AnUnreadableBucketDeniesUntilTheRefillResetsIt) {
  set_bucket("garbage");
  EXPECT_EQ(requests(1), std::vector<uint32_t>{429});
  emu().advance(100);
  EXPECT_EQ(bucket(), "2 1");
  EXPECT_EQ(requests(1), std::vector<uint32_t>{200});
}

TEST_P(RateLimiterTest, TheRefillTaskEndsWithThePlugin) {
  requests(2);
  EXPECT_TRUE(emu().stop_plugin(root_));
  emu().advance(1000);
  EXPECT_EQ(bucket(), "0 0");
}

TEST_P(RateLimiterTest, TheDefaults) {
  reset_emulator();
  root_ = emu().start_plugin();
  EXPECT_EQ(bucket(), "10 0");
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":path", "/"}}, true);
  EXPECT_EQ(bucket(), "9 0");
  emu().advance(1000);  // the default interval: 1 s, refilling 10, up to 10
  EXPECT_EQ(bucket(), "10 1");
}

TEST_P(RateLimiterTest, BadConfigurationsAreRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"capacity": 0})", "invalid plugin configuration: $.capacity: must be at least 1"},
      {R"({"refill": "3"})",
       "invalid plugin configuration: $.refill: expected an integer, got the string \"3\""},
      {R"({"interval": "1 s"})",
       "invalid plugin configuration: $.interval: expected a number of milliseconds or a "
       "duration such as \"250ms\", \"1.5s\", \"2m\", got the string \"1 s\""},
      {R"({"interval": "100us"})",
       "invalid plugin configuration: $.interval: expected a whole number of milliseconds, got "
       "the string \"100us\""},
      {R"({"interval_ms": 100})",
       "invalid plugin configuration: $.interval_ms: unknown field (known: capacity, refill, "
       "interval)"},
      {"capacity=2 refill=1",
       "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
