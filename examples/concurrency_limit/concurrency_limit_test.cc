// concurrency_limit on both backends: places taken up to the limit and given back when each
// stream ends (answered or reset), other VMs' requests counted in the same shared counter, a
// race with another VM's write retried, a failing shared counter letting requests through
// (logged once), and the configuration's bad forms refused.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StatusCode;

class ConcurrencyLimitTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"max_requests": 2})"); }
  uint32_t request() {
    const uint32_t s = emu().open_stream(root_);
    emu().send_request_headers(s, {{":method", "GET"}, {":path", "/"}}, true);
    return s;
  }
  bool refused(uint32_t s) {
    const auto& reply = host().stream(s).local_response;
    return reply.has_value() && reply->status_code == 503;
  }
  std::string in_flight() {
    std::string value;
    uint32_t cas = 0;
    host().get_shared_data("concurrency_limit_in_flight", &value, &cas);
    return value;
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(ConcurrencyLimitTest, "concurrency_limit");

TEST_P(ConcurrencyLimitTest, PlacesAreTakenUpToTheLimitAndGivenBackAtTheEnd) {
  const uint32_t a = request();
  const uint32_t b = request();
  EXPECT_FALSE(refused(a));
  EXPECT_FALSE(refused(b));
  EXPECT_EQ(in_flight(), "2");
  const uint32_t c = request();
  EXPECT_TRUE(refused(c));
  EXPECT_EQ(host().metric_value("concurrency_limit_refused_total"), 1u);
  emu().end_stream(c);  // a refused request held no place
  EXPECT_EQ(in_flight(), "2");
  emu().end_stream(a);
  EXPECT_EQ(in_flight(), "1");
  const uint32_t d = request();
  EXPECT_FALSE(refused(d));
  emu().end_stream(b);
  emu().end_stream(d);
  EXPECT_EQ(in_flight(), "0");
}

TEST_P(ConcurrencyLimitTest, AStreamResetBeforeItsResponseGivesItsPlaceBack) {
  const uint32_t a = request();
  emu().send_request_body(a, "partial", false);
  emu().end_stream(a);  // reset: no response came, the host ends the stream
  EXPECT_EQ(in_flight(), "0");
}

TEST_P(ConcurrencyLimitTest, OtherVmsRequestsCountToo) {
  ASSERT_EQ(host().set_shared_data("concurrency_limit_in_flight", "1", 0), StatusCode::Ok);
  const uint32_t a = request();  // another VM has one in flight: ours is the second
  EXPECT_FALSE(refused(a));
  // Another VM takes the last place between our read and our write: we are refused.
  host().race_shared_data("concurrency_limit_in_flight", "2");
  EXPECT_TRUE(refused(request()));
  EXPECT_EQ(in_flight(), "2");
}

TEST_P(ConcurrencyLimitTest, ACounterThatFailsLetsRequestsThroughAndSaysSoOnce) {
  for (int i = 0; i < 3; ++i) {
    host().inject_fault("proxy_get_shared_data", StatusCode::InternalFailure);
    EXPECT_FALSE(refused(request()));
  }
  EXPECT_EQ(log_messages(), std::vector<std::string>{
                                "concurrency_limit: not counted (INTERNAL_FAILURE)"});
  EXPECT_EQ(in_flight(), "");  // nothing taken, nothing to give back
}

TEST_P(ConcurrencyLimitTest, AConfigurationThatDoesNotFitIsRefusedWithTheReason) {
  expect_refused({
      {"", "invalid plugin configuration: $: required, the configuration is empty"},
      {"{}", "invalid plugin configuration: $.max_requests: required, missing"},
      {R"({"max_requests": 0})",
       "invalid plugin configuration: $.max_requests: must be at least 1"},
  });
}

}  // namespace
