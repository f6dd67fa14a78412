// grpc_unary on both backends: the Check call (service, method, encoded token, deadline), an
// OK answer with a user, each gRPC status a client sees (401, 403, 504, 503), the deadline
// passing, a malformed answer, the client gone while the call runs (cancelled, late events
// dropped), a bad configuration refused with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::GrpcCallout;
using coproxy::testing::Pairs;

class GrpcUnaryTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"deadline": "250ms"})"); }
  uint32_t request(const std::string& authorization = "Bearer t0k") {
    const uint32_t s = emu().open_stream(root_);
    last_ = emu().send_request_headers(s, {{":path", "/"}, {"authorization", authorization}}, true);
    return s;
  }
  const GrpcCallout& call() { return host().grpc_callouts().back(); }
  void answer(uint32_t status, const std::string& message = "") {
    const uint32_t token = call().token;
    if (!message.empty()) emu().grpc_message(token, message);
    emu().grpc_close(token, status, status == 0 ? "" : "nope");
  }
  void expect_reply(uint32_t s, uint32_t status, const std::string& body) {
    ASSERT_TRUE(host().stream(s).local_response.has_value());
    EXPECT_EQ(host().stream(s).local_response->status_code, status);
    EXPECT_EQ(host().stream(s).local_response->body, body);
    EXPECT_TRUE(host().stream(s).continued.empty());
  }
  uint32_t root_ = 0;
  coproxy::testing::Emulator::Delivery last_;
};
COPROXY_PLUGIN_TEST_SUITE(GrpcUnaryTest, "grpc_unary");

TEST_P(GrpcUnaryTest, AnOkAnswerLetsTheRequestGoOnWithTheUser) {
  const uint32_t s = request();
  EXPECT_EQ(last_, Action::Pause);
  ASSERT_EQ(host().grpc_callouts().size(), 1u);
  EXPECT_FALSE(call().is_stream);
  EXPECT_EQ(call().upstream, "auth");
  EXPECT_EQ(call().service, "auth.Auth");
  EXPECT_EQ(call().method, "Check");
  EXPECT_EQ(call().messages, std::vector<std::string>{std::string("\x0a\x03t0k")});
  EXPECT_EQ(call().timeout_ms, 250u);
  answer(0, std::string("\x10\x01\x0a\x03"
                        "ada",
                        7));  // a varint field first, then user
  EXPECT_EQ(host().stream(s).continued,
            std::vector<coproxy::StreamType>{coproxy::StreamType::HttpRequest});
  EXPECT_EQ(host().stream(s).maps[0].back(),
            (std::pair<std::string, std::string>{"x-user", "ada"}));
}

TEST_P(GrpcUnaryTest, ALongTokenIsEncodedWithAVarintLength) {
  const std::string token(200, 'k');
  request("Bearer " + token);
  EXPECT_EQ(call().messages.at(0), std::string("\x0a\xc8\x01") + token);
}

TEST_P(GrpcUnaryTest, EachGrpcStatusIsTheReplyAClientSees) {
  const uint32_t unauthenticated = request();
  answer(16);
  expect_reply(unauthenticated, 401, "unauthenticated");
  EXPECT_EQ(host().stream(unauthenticated).local_response->headers,
            (Pairs{{"www-authenticate", "Bearer"}}));
  const uint32_t denied = request();
  answer(7);
  expect_reply(denied, 403, "denied");
  EXPECT_EQ(host().metric_value("grpc_unary_denied_total"), 2u);
  const uint32_t unavailable = request();
  answer(14);
  expect_reply(unavailable, 503, "auth unavailable");
  EXPECT_EQ(last_log_message(), "grpc_unary: auth answered UNAVAILABLE nope");
}

TEST_P(GrpcUnaryTest, TheDeadlinePassing) {
  const uint32_t s = request();
  emu().advance(249);
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  emu().advance(1);  // the host ends the call with DEADLINE_EXCEEDED
  expect_reply(s, 504, "auth timed out");
}

TEST_P(GrpcUnaryTest, AMalformedAnswerIsNotTrusted) {
  const uint32_t s = request();
  answer(0, std::string("\x0a\x09"
                        "ada",
                        5));  // a length past the end
  expect_reply(s, 503, "bad auth answer");
}

TEST_P(GrpcUnaryTest, TheClientGoneWhileTheCallRuns) {
  const uint32_t s = request();
  const uint32_t token = call().token;
  emu().end_stream(s);
  EXPECT_TRUE(host().find_grpc(token)->cancelled);
  emu().grpc_message(token,
                     "\x0a\x03"
                     "ada");  // late: dropped
  emu().grpc_close(token, 0);
  EXPECT_TRUE(host().stream(s).continued.empty());
  EXPECT_FALSE(host().stream(s).local_response.has_value());
}

TEST_P(GrpcUnaryTest, TheDefaultDeadline) {
  reset_emulator();
  root_ = emu().start_plugin();
  request();
  EXPECT_EQ(call().timeout_ms, 200u);
}

TEST_P(GrpcUnaryTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"deadline": "0.5"})",
       "invalid plugin configuration: $.deadline: expected a number of milliseconds or a "
       "duration such as \"250ms\", \"1.5s\", \"2m\", got the string \"0.5\""},
      {R"({"deadline": 0})", "invalid plugin configuration: $.deadline: must be at least 1ms"},
      {R"({"deadline_ms": 250})",
       "invalid plugin configuration: $.deadline_ms: unknown field (known: deadline)"},
      {"250", "invalid plugin configuration: $: expected an object, got the number 250"},
      {"deadline: 250",
       "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
