// fan_out on both backends: both checks pass (a header from authz, the name from users' JSON),
// authz denies while users is still out (403 at once, users' late answer dropped), users fails
// (502) or answers what is not its JSON (502), the deadline (504), authz unreachable (403), no
// credentials (401), the client gone while both wait, a bad configuration refused with the
// operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::HttpCallout;
using coproxy::testing::Pairs;

class FanOutTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"deadline": "300ms"})"); }
  uint32_t request() {
    const uint32_t stream = emu().open_stream(root_);
    last_ =
        emu().send_request_headers(stream, {{":path", "/orders"}, {"authorization", "t0k"}}, true);
    return stream;
  }
  // The last callout to `upstream`.
  uint32_t token(const std::string& upstream) {
    const std::vector<HttpCallout>& calls = host().http_callouts();
    for (auto call = calls.rbegin(); call != calls.rend(); ++call) {
      if (call->upstream == upstream) return call->token;
    }
    ADD_FAILURE() << "no callout to " << upstream;
    return 0;
  }
  void expect_reply(uint32_t stream, uint32_t status, const std::string& body) {
    ASSERT_TRUE(host().stream(stream).local_response.has_value());
    EXPECT_EQ(host().stream(stream).local_response->status_code, status);
    EXPECT_EQ(host().stream(stream).local_response->body, body);
    EXPECT_TRUE(host().stream(stream).continued.empty());
  }

  uint32_t root_ = 0;
  coproxy::testing::Emulator::Delivery last_;
};
COPROXY_PLUGIN_TEST_SUITE(FanOutTest, "fan_out");

TEST_P(FanOutTest, BothAllowTheRequestGoesOnWithAHeaderFromEach) {
  const uint32_t s = request();
  EXPECT_EQ(last_, Action::Pause);
  ASSERT_EQ(host().http_callouts().size(), 2u);  // both at once
  const HttpCallout& authz = host().http_callouts()[0];
  EXPECT_EQ(authz.upstream, "authz");
  EXPECT_EQ(authz.headers, (Pairs{{":method", "GET"},
                                  {":path", "/allow"},
                                  {":authority", "authz"},
                                  {"authorization", "t0k"}}));
  EXPECT_EQ(authz.timeout_ms, 5000u);
  EXPECT_EQ(host().http_callouts()[1].upstream, "users");
  emu().answer_http_call(token("users"), {{":status", "200"}}, R"({"name": "ada", "id": 7})");
  EXPECT_TRUE(host().stream(s).continued.empty());  // still waiting for authz
  emu().answer_http_call(token("authz"), {{":status", "204"}, {"x-allowed", "read"}});
  EXPECT_EQ(host().stream(s).continued,
            std::vector<coproxy::StreamType>{coproxy::StreamType::HttpRequest});
  EXPECT_EQ(host().stream(s).maps[0], (Pairs{{":path", "/orders"},
                                             {"authorization", "t0k"},
                                             {"x-allowed", "read"},
                                             {"x-user", "ada"}}));
  EXPECT_FALSE(host().stream(s).local_response.has_value());
}

TEST_P(FanOutTest, ADenialEndsItAtOnceAndTheOtherCallIsDropped) {
  const uint32_t s = request();
  const uint32_t users = token("users");
  emu().answer_http_call(token("authz"), {{":status", "401"}});
  expect_reply(s, 403, "denied");
  EXPECT_EQ(host().metric_value("fan_out_denied_total"), 1u);
  emu().answer_http_call(users, {{":status", "200"}}, R"({"name": "ada"})");  // late: dropped
  EXPECT_EQ(host().stream(s).maps[0].size(), 2u);
  emu().advance(1000);  // the deadline was cancelled with the wait
  EXPECT_EQ(host().metric_value("fan_out_timeouts_total"), 0u);
}

TEST_P(FanOutTest, AuthzUnreachableIsADenial) {
  const uint32_t s = request();
  emu().fail_http_call(token("authz"));
  expect_reply(s, 403, "denied");
}

TEST_P(FanOutTest, UsersFailingIsABadGateway) {
  const uint32_t s = request();
  emu().answer_http_call(token("users"), {{":status", "503"}});
  expect_reply(s, 502, "users unavailable");
  emu().answer_http_call(token("authz"), {{":status", "200"}});  // late: dropped
}

TEST_P(FanOutTest, AUsersAnswerThatIsNotItsJsonIsABadGateway) {
  const std::pair<const char*, const char*> cases[] = {
      {"ada", "fan_out: bad users answer: $: not JSON: line 1, column 1: Invalid value."},
      {R"({"id": 7})", "fan_out: bad users answer: $.name: required, missing"},
      {R"({"name": 7})", "fan_out: bad users answer: $.name: expected a string, got the number 7"},
  };
  for (const auto& [body, message] : cases) {
    const uint32_t s = request();
    emu().answer_http_call(token("authz"), {{":status", "200"}});
    emu().answer_http_call(token("users"), {{":status", "200"}}, body);
    expect_reply(s, 502, "bad users answer");
    EXPECT_EQ(last_log_message(), message) << body;
    emu().end_stream(s);
  }
}

TEST_P(FanOutTest, TheDeadlineGivesAGatewayTimeout) {
  const uint32_t s = request();
  emu().answer_http_call(token("authz"), {{":status", "200"}});
  emu().advance(299);
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  emu().advance(1);
  expect_reply(s, 504, "checks timed out");
  EXPECT_EQ(host().metric_value("fan_out_timeouts_total"), 1u);
  emu().answer_http_call(token("users"), {{":status", "200"}});  // late: dropped
}

TEST_P(FanOutTest, NoCredentialsNothingIsCalled) {
  const uint32_t s = emu().open_stream(root_);
  EXPECT_EQ(emu().send_request_headers(s, {{":path", "/orders"}}, true), Action::Pause);
  expect_reply(s, 401, "credentials required");
  EXPECT_TRUE(host().http_callouts().empty());
}

TEST_P(FanOutTest, ClientGoneWhileBothWait) {
  const uint32_t s = request();
  emu().end_stream(s);
  emu().answer_http_call(token("authz"), {{":status", "200"}});
  emu().answer_http_call(token("users"), {{":status", "200"}});
  emu().advance(1000);
  EXPECT_TRUE(host().stream(s).continued.empty());
  EXPECT_FALSE(host().stream(s).local_response.has_value());
}

TEST_P(FanOutTest, TheDefaultDeadline) {
  reset_emulator();
  root_ = emu().start_plugin();
  const uint32_t s = request();
  emu().advance(499);
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  emu().advance(1);
  expect_reply(s, 504, "checks timed out");
}

TEST_P(FanOutTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"deadline": true})",
       "invalid plugin configuration: $.deadline: expected a number of milliseconds or a "
       "duration such as \"250ms\", \"1.5s\", \"2m\", got true"},
      {R"({"deadline": "0s"})", "invalid plugin configuration: $.deadline: must be at least 1ms"},
      {R"({"timeout": 300})",
       "invalid plugin configuration: $.timeout: unknown field (known: deadline)"},
      {"300", "invalid plugin configuration: $: expected an object, got the number 300"},
      {"{deadline: 300}",
       "invalid plugin configuration: $: not JSON: line 1, column 2: Missing a name for object "
       "member."},
  });
}

}  // namespace
