// http_auth, written three ways (http_auth.cc: callbacks as tasks; http_auth_callbacks.cc;
// http_auth_stream.cc: one stream coroutine), each on both backends: allowed, denied, auth
// service down, no answer, client gone while waiting, and a body arriving during the check.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace coproxy::testing {
namespace {

using Pair = std::pair<std::string, std::string>;

class HttpAuthTest : public PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  uint32_t request(Pairs headers) {
    const uint32_t stream = emu().open_stream(root_);
    last_ = emu().send_request_headers(stream, std::move(headers));
    return stream;
  }
  uint32_t auth_token() { return host().http_callouts().back().token; }
  void expect_denied(uint32_t s) {
    ASSERT_TRUE(host().stream(s).local_response.has_value());
    EXPECT_EQ(host().stream(s).local_response->status_code, 403u);
    EXPECT_EQ(host().stream(s).local_response->body, "denied");
    EXPECT_TRUE(host().stream(s).continued.empty());
  }

  uint32_t root_ = 0;
  Emulator::Delivery last_;
};

std::vector<PluginUnderTest> every_way() {
  std::vector<PluginUnderTest> all;
  for (const char* plugin : {"http_auth", "http_auth_callbacks", "http_auth_stream"}) {
    for (const PluginUnderTest& param : both_backends(plugin)) all.push_back(param);
  }
  return all;
}
INSTANTIATE_TEST_SUITE_P(Ways, HttpAuthTest, ::testing::ValuesIn(every_way()),
                         plugin_and_backend_name);

TEST_P(HttpAuthTest, AllowedRequestGoesOnWithTheUser) {
  const uint32_t s = request({{":path", "/orders"}, {"authorization", "Bearer t0k"}});
  EXPECT_EQ(last_, Action::Pause);
  const HttpCallout& check = host().http_callouts().back();
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

TEST_P(HttpAuthTest, NoCredentialsNoAuthorizationHeader) {
  request({{":path", "/"}});
  EXPECT_EQ(host().http_callouts().back().headers,
            (Pairs{{":method", "GET"}, {":path", "/check"}, {":authority", "auth"}}));
}

TEST_P(HttpAuthTest, DeniedOrAuthDownGets403) {
  const uint32_t denied = request({{":path", "/"}});
  emu().answer_http_call(auth_token(), {{":status", "401"}});
  expect_denied(denied);
  const uint32_t down = request({{":path", "/"}});
  emu().fail_http_call(auth_token());
  expect_denied(down);
}

TEST_P(HttpAuthTest, CheckThatNeverAnswersTimesOut) {
  const uint32_t s = request({{":path", "/"}});
  emu().advance(5000);  // the callout timeout
  expect_denied(s);
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
  EXPECT_EQ(host().stream(s).maps[0].back(), (Pair{"x-user", "ada"}));
}

}  // namespace
}  // namespace coproxy::testing
