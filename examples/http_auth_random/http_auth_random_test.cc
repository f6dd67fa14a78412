// http_auth_random on both backends: the callout to httpbin, an even uuid allowed, an odd one
// denied, other fields of the answer ignored, an answer that is not JSON or has no uuid denied
// saying why, httpbin failing, slow or not 200, and the client gone while it answers.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StreamType;
using coproxy::testing::Pairs;

class HttpAuthRandomTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  uint32_t request() {
    const uint32_t stream = emu().open_stream(root_);
    EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/orders"}}), Action::Pause);
    return stream;
  }
  uint32_t token() { return host().http_callouts().back().token; }
  void answer(const std::string& uuid) {
    emu().answer_http_call(token(), {{":status", "200"}},
                           "{\n  \"uuid\": \"" + uuid + "\"\n}\n");
  }
  void expect_reply(uint32_t stream, uint32_t status, const std::string& body) {
    ASSERT_TRUE(host().stream(stream).local_response.has_value());
    EXPECT_EQ(host().stream(stream).local_response->status_code, status);
    EXPECT_EQ(host().stream(stream).local_response->body, body);
    EXPECT_TRUE(host().stream(stream).continued.empty());
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(HttpAuthRandomTest, "http_auth_random");

TEST_P(HttpAuthRandomTest, AnEvenUuidLetsTheRequestIn) {
  const uint32_t s = request();
  ASSERT_EQ(host().http_callouts().size(), 1u);
  const coproxy::testing::HttpCallout& callout = host().http_callouts()[0];
  EXPECT_EQ(callout.upstream, "httpbin");
  EXPECT_EQ(callout.headers,
            (Pairs{{":method", "GET"}, {":path", "/uuid"}, {":authority", "httpbin.org"}}));
  EXPECT_EQ(callout.timeout_ms, 1000u);
  answer("0f3c2a6e-55b1-4c3e-9d7a-1f2e3d4c5b6a");  // a: 10, even
  EXPECT_EQ(host().stream(s).continued, std::vector<StreamType>{StreamType::HttpRequest});
  EXPECT_EQ(host().stream(s).maps[0],
            (Pairs{{":path", "/orders"}, {"x-auth-uuid", "0f3c2a6e-55b1-4c3e-9d7a-1f2e3d4c5b6a"}}));
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().metric_value("http_auth_random_allowed_total"), 1u);
}

TEST_P(HttpAuthRandomTest, AnOddUuidIsForbidden) {
  const uint32_t s = request();
  answer("0f3c2a6e-55b1-4c3e-9d7a-1f2e3d4c5b6b");  // b: 11, odd
  expect_reply(s, 403, "access forbidden");
  EXPECT_EQ(host().stream(s).local_response->headers, (Pairs{{"x-auth", "denied"}}));
  EXPECT_EQ(last_log_message(),
            "http_auth_random: denied by uuid '0f3c2a6e-55b1-4c3e-9d7a-1f2e3d4c5b6b'");
  EXPECT_EQ(host().metric_value("http_auth_random_denied_total"), 1u);
  EXPECT_EQ(host().metric_value("http_auth_random_allowed_total"), 0u);
}

TEST_P(HttpAuthRandomTest, OtherFieldsOfTheAnswerAreIgnored) {
  const uint32_t s = request();
  emu().answer_http_call(token(), {{":status", "200"}},
                         R"({"origin": "10.0.0.1", "uuid": "00000000-0000-0000-0000-000000000002"})");
  EXPECT_EQ(host().stream(s).continued, std::vector<StreamType>{StreamType::HttpRequest});
}

TEST_P(HttpAuthRandomTest, AnAnswerWithoutAUuidIsForbiddenSayingWhy) {
  const std::pair<const char*, const char*> cases[] = {
      {"no uuid here", "$: not JSON: line 1, column 2: Invalid value."},
      {R"({"origin": "10.0.0.1"})", "$.uuid: required, missing"},
      {R"({"uuid": 42})", "$.uuid: expected a string, got the number 42"},
      {R"(["0f3c2a6e"])", "$: expected an object, got an array"},
      {"", "$: not JSON: line 1, column 1: The document is empty."},
  };
  for (const auto& [body, why] : cases) {
    const uint32_t s = request();
    emu().answer_http_call(token(), {{":status", "200"}}, body);
    expect_reply(s, 403, "access forbidden");
    EXPECT_EQ(last_log_message(),
              std::string("http_auth_random: denied, no uuid in httpbin's answer (") + why + ")")
        << body;
    EXPECT_EQ(host().logs().back().level, coproxy::LogLevel::Warn);
  }
  EXPECT_EQ(host().metric_value("http_auth_random_denied_total"), 5u);
}

TEST_P(HttpAuthRandomTest, HttpbinDownOrNot200Is503) {
  const uint32_t failed = request();
  emu().fail_http_call(token());
  expect_reply(failed, 503, "auth service unavailable");
  const uint32_t error = request();
  emu().answer_http_call(token(), {{":status", "500"}}, "{\"uuid\": \"0\"}");
  expect_reply(error, 503, "auth service unavailable");
  EXPECT_EQ(last_log_message(), "http_auth_random: httpbin did not answer");
}

TEST_P(HttpAuthRandomTest, NoAnswerWithinASecondIs503) {
  const uint32_t s = request();
  emu().advance(999);
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  emu().advance(1);
  expect_reply(s, 503, "auth service unavailable");
}

TEST_P(HttpAuthRandomTest, ClientGoneWhileHttpbinAnswers) {
  const uint32_t s = request();
  const uint32_t t = token();
  emu().end_stream(s);
  emu().answer_http_call(t, {{":status", "200"}}, "{\"uuid\": \"00\"}");  // dropped
  EXPECT_TRUE(host().stream(s).continued.empty());
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().metric_value("http_auth_random_allowed_total"), 0u);
}

}  // namespace
