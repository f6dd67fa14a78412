// http_auth on both backends: allowed, denied, auth service down, client gone while waiting,
// and a request body that arrives while the check is in flight.
#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StreamType;
using coproxy::testing::Pairs;

class HttpAuthTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  uint32_t request(Pairs headers) {
    const uint32_t stream = emu().open_stream(root_);
    last_ = emu().send_request_headers(stream, std::move(headers));
    return stream;
  }
  uint32_t auth_token() { return host().http_callouts().back().token; }

  uint32_t root_ = 0;
  coproxy::testing::Emulator::Delivery last_;
};
COPROXY_PLUGIN_TEST_SUITE(HttpAuthTest, "http_auth");

TEST_P(HttpAuthTest, AllowedRequestGoesOnWithTheUser) {
  const uint32_t s = request({{":path", "/orders"}, {"authorization", "Bearer t0k"}});
  EXPECT_EQ(last_, Action::Pause);
  const auto& check = host().http_callouts().back();
  EXPECT_EQ(check.upstream, "auth");
  EXPECT_EQ(check.headers, (Pairs{{":method", "GET"},
                                  {":path", "/check"},
                                  {":authority", "auth"},
                                  {"authorization", "Bearer t0k"}}));
  emu().answer_http_call(auth_token(), {{":status", "200"}, {"x-user", "ada"}});
  EXPECT_EQ(host().stream(s).continued, std::vector<StreamType>{StreamType::HttpRequest});
  EXPECT_EQ(host().stream(s).maps[0],
            (Pairs{{":path", "/orders"}, {"authorization", "Bearer t0k"}, {"x-user", "ada"}}));
  EXPECT_FALSE(host().stream(s).local_response.has_value());
}

TEST_P(HttpAuthTest, DeniedOrUnansweredRequestGets403) {
  const uint32_t denied = request({{":path", "/"}});
  emu().answer_http_call(auth_token(), {{":status", "401"}});
  const uint32_t down = request({{":path", "/"}});
  emu().fail_http_call(auth_token());
  for (uint32_t s : {denied, down}) {
    ASSERT_TRUE(host().stream(s).local_response.has_value());
    EXPECT_EQ(host().stream(s).local_response->status_code, 403u);
    EXPECT_EQ(host().stream(s).local_response->body, "denied");
    EXPECT_TRUE(host().stream(s).continued.empty());
  }
}

TEST_P(HttpAuthTest, CheckThatNeverAnswersTimesOut) {
  const uint32_t s = request({{":path", "/"}});
  emu().advance(5000);  // the default callout timeout
  ASSERT_TRUE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().stream(s).local_response->status_code, 403u);
}

TEST_P(HttpAuthTest, ClientGoneWhileTheCheckRuns) {
  const uint32_t s = request({{":path", "/"}});
  const uint32_t token = auth_token();
  emu().end_stream(s);
  emu().answer_http_call(token, {{":status", "200"}, {"x-user", "ada"}});  // dropped
  EXPECT_TRUE(host().stream(s).continued.empty());
  EXPECT_FALSE(host().stream(s).local_response.has_value());
}

TEST_P(HttpAuthTest, BodyArrivingDuringTheCheckFollowsTheRequest) {
  const uint32_t s = request({{":path", "/upload"}});
  EXPECT_EQ(emu().send_request_body(s, "payload", true), std::nullopt);  // held by the host
  emu().answer_http_call(auth_token(), {{":status", "200"}, {"x-user", "ada"}});
  EXPECT_EQ(host().stream(s).request.forwarded, "payload");
}

}  // namespace
