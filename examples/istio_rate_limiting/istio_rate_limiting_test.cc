// istio_rate_limiting on both backends: N requests per window per client, then a 429 with
// retry-after; clients counted apart, and with other VMs through shared data; the window
// resets on the virtual clock; a shared-data update that keeps losing lets the request
// through; a bad configuration is refused with the operator's message.
#include <string>
#include <string_view>
#include <utility>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StatusCode;
using coproxy::testing::Pairs;

class IstioRateLimitingTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"requests": 3, "window": "10s"})"); }
  // One request from `client` (none: no header): its status, 200 when it went on.
  uint32_t request(const std::string& client) {
    const uint32_t stream = emu().open_stream(root_);
    Pairs headers = {{":path", "/"}};
    if (!client.empty()) headers.emplace_back("x-client-id", client);
    const auto action = emu().send_request_headers(stream, std::move(headers), true);
    const auto& reply = host().stream(stream).local_response;
    if (reply) {
      EXPECT_EQ(action, Action::Pause);
      EXPECT_EQ(reply->body, "rate limited\n");
      retry_after_ = reply->headers.empty() ? "" : reply->headers[0].second;
      return reply->status_code;
    }
    EXPECT_EQ(action, Action::Continue);
    return 200;
  }
  std::string shared(std::string_view key) {
    std::string value;
    uint32_t cas = 0;
    if (host().get_shared_data(key, &value, &cas) != StatusCode::Ok) return "<none>";
    return value;
  }
  uint32_t root_ = 0;
  std::string retry_after_;
};
COPROXY_PLUGIN_TEST_SUITE(IstioRateLimitingTest, "istio_rate_limiting");

TEST_P(IstioRateLimitingTest, PastTheLimitA429WithRetryAfter) {
  EXPECT_EQ(request("ada"), 200u);
  EXPECT_EQ(request("ada"), 200u);
  emu().advance(3000);
  EXPECT_EQ(request("ada"), 200u);
  EXPECT_EQ(request("ada"), 429u);
  EXPECT_EQ(retry_after_, "7");  // the window ends at 10 s
  EXPECT_EQ(host().metric_value("istio_rate_limiting_limited_total"), 1u);
  EXPECT_EQ(shared("rate:ada"), "0 3");
}

TEST_P(IstioRateLimitingTest, ClientsAreCountedApart) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(request("ada"), 200u);
  EXPECT_EQ(request("ada"), 429u);
  EXPECT_EQ(request("bob"), 200u);
  EXPECT_EQ(request(""), 200u);  // no header: the "unknown" client
  EXPECT_EQ(shared("rate:unknown"), "0 1");
}

TEST_P(IstioRateLimitingTest, TheWindowResetsOnTheClock) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(request("ada"), 200u);
  emu().advance(9999);
  EXPECT_EQ(request("ada"), 429u);
  EXPECT_EQ(retry_after_, "1");
  emu().advance(1);  // the next window
  EXPECT_EQ(request("ada"), 200u);
  EXPECT_EQ(shared("rate:ada"), "1 1");
}

TEST_P(IstioRateLimitingTest, OtherVmsCountInTheSameWindow) {
  ASSERT_EQ(host().set_shared_data("rate:ada", "0 2", 0), StatusCode::Ok);  // another worker's
  EXPECT_EQ(request("ada"), 200u);
  EXPECT_EQ(request("ada"), 429u);
  ASSERT_EQ(host().set_shared_data("rate:bob", "garbage", 0), StatusCode::Ok);
  EXPECT_EQ(request("bob"), 200u);  // unreadable: counted afresh
  EXPECT_EQ(shared("rate:bob"), "0 1");
}

TEST_P(IstioRateLimitingTest, AnUpdateThatKeepsLosingLetsTheRequestThrough) {
  EXPECT_EQ(request("ada"), 200u);
  host().enable_trace([this](std::string_view line) {
    if (line.find("proxy_get_shared_data(\"rate:ada\"") != line.npos) {
      host().set_shared_data("rate:ada", "0 1", 0);  // another VM always writes in between
    }
  });
  EXPECT_EQ(request("ada"), 200u);
  EXPECT_EQ(last_log_message(),
            "istio_rate_limiting: rate:ada not counted (CAS_MISMATCH)");
}

TEST_P(IstioRateLimitingTest, TheHeaderAndDefaultsFromTheConfiguration) {
  reset_emulator();
  root_ = emu().start_plugin(R"({"header": "x-tenant", "requests": 1})");
  const uint32_t stream = emu().open_stream(root_);
  emu().send_request_headers(stream, {{":path", "/"}, {"x-tenant", "acme"}}, true);
  EXPECT_EQ(shared("rate:acme"), "0 1");
  EXPECT_EQ(request("acme"), 200u);  // x-client-id is not the header: "unknown"
  EXPECT_EQ(request("acme"), 429u);
  EXPECT_EQ(retry_after_, "1");  // the default window: 1 s
}

TEST_P(IstioRateLimitingTest, TheWindowInMilliseconds) {
  reset_emulator();
  root_ = emu().start_plugin(R"({"requests": 1, "window": 2500})");
  EXPECT_EQ(request("ada"), 200u);
  EXPECT_EQ(request("ada"), 429u);
  EXPECT_EQ(retry_after_, "3");  // 2.5 s, rounded up
}

TEST_P(IstioRateLimitingTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"requests": 0})", "invalid plugin configuration: $.requests: must be at least 1"},
      {R"({"requests": "3"})",
       "invalid plugin configuration: $.requests: expected an integer, got the string \"3\""},
      {R"({"window": "soon"})",
       "invalid plugin configuration: $.window: expected a number of milliseconds or a duration "
       "such as \"250ms\", \"1.5s\", \"2m\", got the string \"soon\""},
      {R"({"window": 0})", "invalid plugin configuration: $.window: must be at least 1ms"},
      {R"({"header": ""})", "invalid plugin configuration: $.header: must name a header"},
      {R"({"requests": 5, "burst": 5})",
       "invalid plugin configuration: $.burst: unknown field (known: requests, window, header)"},
      {"requests=3 window=10000",
       "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
