// metrics on both backends: a counter per method and status, the in-flight gauge, a duration
// histogram on the virtual clock; a reset stream counts as status "none", odd methods "other".
#include <string>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;

class MetricsTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  uint32_t request(const std::string& method) {
    const uint32_t stream = emu().open_stream(root_);
    EXPECT_EQ(emu().send_request_headers(stream, {{":method", method}, {":path", "/"}}, true),
              Action::Continue);
    return stream;
  }
  void respond(uint32_t stream, const std::string& status) {
    EXPECT_EQ(emu().send_response_headers(stream, {{":status", status}}, true), Action::Continue);
    emu().end_stream(stream);
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(MetricsTest, "metrics");

TEST_P(MetricsTest, CountsPerMethodAndStatus) {
  respond(request("GET"), "200");
  respond(request("GET"), "200");
  respond(request("GET"), "404");
  respond(request("POST"), "201");
  EXPECT_EQ(host().metric_value("metrics_requests_total_method=GET_status=200"), 2u);
  EXPECT_EQ(host().metric_value("metrics_requests_total_method=GET_status=404"), 1u);
  EXPECT_EQ(host().metric_value("metrics_requests_total_method=POST_status=201"), 1u);
  EXPECT_EQ(host().metric_value("metrics_requests_total_method=POST_status=200"), std::nullopt);
}

TEST_P(MetricsTest, TheGaugeFollowsStreamsInFlight) {
  const uint32_t first = request("GET");
  const uint32_t second = request("GET");
  EXPECT_EQ(host().metric_value("metrics_active_requests"), 2u);
  respond(first, "200");
  EXPECT_EQ(host().metric_value("metrics_active_requests"), 1u);
  respond(second, "200");
  EXPECT_EQ(host().metric_value("metrics_active_requests"), 0u);
}

TEST_P(MetricsTest, TheHistogramTimesEachRequestOnTheHostClock) {
  const uint32_t stream = request("PUT");
  emu().advance(37);
  respond(stream, "204");
  EXPECT_EQ(host().metric_value("metrics_duration_ms_method=PUT"), 37u);  // the last sample
}

TEST_P(MetricsTest, AResetStreamCountsAsNoStatus) {
  const uint32_t stream = request("GET");
  emu().end_stream(stream);  // no response ever came
  EXPECT_EQ(host().metric_value("metrics_requests_total_method=GET_status=none"), 1u);
  EXPECT_EQ(host().metric_value("metrics_active_requests"), 0u);
}

TEST_P(MetricsTest, ValuesThatWouldBreakTheTagsBecomeOther) {
  respond(request("M_SEARCH"), "200");
  EXPECT_EQ(host().metric_value("metrics_requests_total_method=other_status=200"), 1u);
}

TEST_P(MetricsTest, AStreamWithoutARequestIsNotCounted) {
  emu().end_stream(emu().open_stream(root_));
  ASSERT_EQ(host().metrics().size(), 1u);  // only the member gauge, defined at the start
  EXPECT_EQ(host().metrics()[0].name, "metrics_active_requests");
}

}  // namespace
