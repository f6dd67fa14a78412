// http_jwt_auth on both backends: a token with the claim goes on (x-jwt-<claim>), escapes and
// nested members in the payload, each way a token is refused (missing, malformed, bad base64,
// not JSON, claim absent or another value, expired on the host clock), a claim that only must
// be present, a number claim, and a bad configuration refused with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

std::string base64url(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : bytes) {
    bits = bits << 8 | c;
    count += 8;
    while (count >= 6) out.push_back(kAlphabet[bits >> (count -= 6) & 63]);
  }
  if (count > 0) out.push_back(kAlphabet[bits << (6 - count) & 63]);
  return out;
}

std::string jwt(const std::string& payload) {
  return "Bearer " + base64url(R"({"alg":"HS256"})") + "." + base64url(payload) + ".c2ln";
}

class HttpJwtAuthTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"claim": "role", "value": "admin"})"); }
  uint32_t request(const std::string& authorization) {
    const uint32_t s = emu().open_stream(root_);
    Pairs headers = {{":path", "/admin"}};
    if (!authorization.empty()) headers.push_back({"authorization", authorization});
    last_ = emu().send_request_headers(s, headers, true);
    return s;
  }
  // The body of the 401 a request gets, or "" when it goes on.
  std::string refusal(const std::string& authorization) {
    const uint32_t s = request(authorization);
    const auto& reply = host().stream(s).local_response;
    if (!reply) return last_ == Action::Continue ? "" : "paused?";
    EXPECT_EQ(reply->status_code, 401u);
    EXPECT_EQ(reply->headers, (Pairs{{"www-authenticate", "Bearer error=\"invalid_token\""}}));
    return reply->body;
  }
  uint32_t root_ = 0;
  coproxy::testing::Emulator::Delivery last_;
};
COPROXY_PLUGIN_TEST_SUITE(HttpJwtAuthTest, "http_jwt_auth");

TEST_P(HttpJwtAuthTest, ATokenWithTheClaimGoesOnWithIt) {
  const std::string token = jwt(R"({"sub":"ada","role":"admin"})");
  const uint32_t s = request(token);
  EXPECT_EQ(last_, Action::Continue);
  EXPECT_EQ(host().stream(s).maps[0],
            (Pairs{{":path", "/admin"}, {"authorization", token}, {"x-jwt-role", "admin"}}));
}

TEST_P(HttpJwtAuthTest, ThePayloadIsReadAsJson) {
  EXPECT_EQ(refusal(jwt(R"( { "groups" : ["a", {"role":"no"}], "n": 1.5,
                             "x\"y": "}", "role" : "admin" } )")),
            "");
  EXPECT_EQ(refusal(jwt(R"({"role":"ad\u006din"})")), "");  // escapes are read
  EXPECT_EQ(refusal(jwt(R"(["role", "admin"])")), "claim missing or not allowed");
}

TEST_P(HttpJwtAuthTest, EachBadTokenIsA401) {
  EXPECT_EQ(refusal(""), "missing bearer token");
  EXPECT_EQ(refusal("Basic YWRhOnB3"), "missing bearer token");
  EXPECT_EQ(refusal("Bearer abc"), "malformed token");
  EXPECT_EQ(refusal("Bearer a.b"), "malformed token");
  EXPECT_EQ(refusal("Bearer a.b*d.c"), "malformed token");    // not base64url
  EXPECT_EQ(refusal("Bearer a.bbbbb.c"), "malformed token");  // a length base64 never has
  EXPECT_EQ(refusal(jwt("not json")), "malformed token");
  EXPECT_EQ(refusal(jwt(R"({"role":"admin")")), "malformed token");  // cut short
  EXPECT_EQ(refusal(jwt(R"({"role":"admin"} x)")), "malformed token");
  EXPECT_EQ(refusal(jwt(R"({"sub":"ada"})")), "claim missing or not allowed");
  EXPECT_EQ(refusal(jwt(R"({"role":"user"})")), "claim missing or not allowed");
  EXPECT_EQ(refusal(jwt(R"({"groups":{"role":"admin"}})")), "claim missing or not allowed");
  EXPECT_EQ(host().metric_value("http_jwt_auth_denied_total"), 12u);
}

TEST_P(HttpJwtAuthTest, AnExpiredTokenOnTheHostClock) {
  host().set_time(1'700'000'000'000'000'000);  // 1700000000 s after the epoch
  EXPECT_EQ(refusal(jwt(R"({"role":"admin","exp":1700000001})")), "");
  EXPECT_EQ(refusal(jwt(R"({"role":"admin","exp":1700000000})")), "token expired");
  EXPECT_EQ(refusal(jwt(R"({"role":"admin","exp":1700000000.5})")), "");  // a fraction
  EXPECT_EQ(refusal(jwt(R"({"role":"admin","exp":"soon"})")), "token expired");
}

TEST_P(HttpJwtAuthTest, AClaimThatOnlyMustBePresent) {
  reset_emulator();
  root_ = emu().start_plugin(R"({"claim": "sub"})");
  const uint32_t s = request(jwt(R"({"sub":"ada\/lovelace"})"));
  EXPECT_EQ(host().stream(s).maps[0].back(),
            (std::pair<std::string, std::string>{"x-jwt-sub", "ada/lovelace"}));
  EXPECT_EQ(refusal(jwt(R"({"role":"admin"})")), "claim missing or not allowed");
}

TEST_P(HttpJwtAuthTest, ANumberClaimGoesOnInDecimal) {
  reset_emulator();
  root_ = emu().start_plugin(R"({"claim": "uid", "value": "42"})");
  const uint32_t s = request(jwt(R"({"uid":42})"));
  EXPECT_EQ(host().stream(s).maps[0].back(),
            (std::pair<std::string, std::string>{"x-jwt-uid", "42"}));
  EXPECT_EQ(refusal(jwt(R"({"uid":42.5})")), "claim missing or not allowed");
  EXPECT_EQ(refusal(jwt(R"({"uid":true})")), "claim missing or not allowed");
}

TEST_P(HttpJwtAuthTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {"", "invalid plugin configuration: $: required, the configuration is empty"},
      {R"({"value": "admin"})", "invalid plugin configuration: $.claim: required, missing"},
      {R"({"claim": ""})", "invalid plugin configuration: $.claim: must name a claim"},
      {R"({"claim": "role", "value": 1})",
       "invalid plugin configuration: $.value: expected a string, got the number 1"},
      {"role=admin", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
