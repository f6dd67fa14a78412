// response_cache on both backends: a miss fetched from the origin and cached, the second GET
// answered locally, the entry expiring on the host clock and fetched again, non-200 answers
// not cached, an origin that fails (502), a corrupt entry, the client gone during the fetch
// (nothing cached), other methods untouched, the default TTL, a bad configuration refused with
// the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StatusCode;
using coproxy::testing::Pairs;

class ResponseCacheTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"ttl": 1000})"); }
  uint32_t get(const std::string& path = "/price") {
    const uint32_t s = emu().open_stream(root_);
    last_ = emu().send_request_headers(s, {{":method", "GET"}, {":path", path}}, true);
    return s;
  }
  void expect_reply(uint32_t s, uint32_t status, const std::string& body, Pairs headers) {
    ASSERT_TRUE(host().stream(s).local_response.has_value());
    EXPECT_EQ(host().stream(s).local_response->status_code, status);
    EXPECT_EQ(host().stream(s).local_response->body, body);
    EXPECT_EQ(host().stream(s).local_response->headers, headers);
  }
  std::optional<std::string> cached(const std::string& path = "/price") {
    std::string value;
    uint32_t cas = 0;
    if (host().get_shared_data("response_cache:" + path, &value, &cas) != StatusCode::Ok) {
      return std::nullopt;
    }
    return value;
  }
  uint32_t last_token() { return host().http_callouts().back().token; }
  uint32_t root_ = 0;
  coproxy::testing::Emulator::Delivery last_;
};
COPROXY_PLUGIN_TEST_SUITE(ResponseCacheTest, "response_cache");

TEST_P(ResponseCacheTest, AMissIsFetchedAndCachedTheNextGetIsAnsweredLocally) {
  host().set_time(5'000'000'000);  // 5 s after the epoch
  const uint32_t first = get();
  EXPECT_EQ(last_, Action::Pause);
  ASSERT_EQ(host().http_callouts().size(), 1u);
  EXPECT_EQ(host().http_callouts()[0].upstream, "origin");
  EXPECT_EQ(host().http_callouts()[0].headers,
            (Pairs{{":method", "GET"}, {":path", "/price"}, {":authority", "origin"}}));
  emu().answer_http_call(last_token(), {{":status", "200"}}, "42 EUR");
  expect_reply(first, 200, "42 EUR", {{"x-cache", "miss"}});
  EXPECT_EQ(cached(), "6000\n42 EUR");  // expires 1000 ms later

  emu().advance(999);
  const uint32_t second = get();
  EXPECT_EQ(last_, Action::Pause);  // answered at once, locally
  expect_reply(second, 200, "42 EUR", {{"x-cache", "hit"}});
  EXPECT_EQ(host().http_callouts().size(), 1u);
  EXPECT_EQ(host().metric_value("response_cache_hits_total"), 1u);
  EXPECT_EQ(host().metric_value("response_cache_misses_total"), 1u);
}

TEST_P(ResponseCacheTest, AnExpiredEntryIsFetchedAgain) {
  get();
  emu().answer_http_call(last_token(), {{":status", "200"}}, "old");
  emu().advance(1000);
  const uint32_t s = get();
  ASSERT_EQ(host().http_callouts().size(), 2u);
  emu().answer_http_call(last_token(), {{":status", "200"}}, "new");
  expect_reply(s, 200, "new", {{"x-cache", "miss"}});
  EXPECT_EQ(cached(), "2000\nnew");
  expect_reply(get(), 200, "new", {{"x-cache", "hit"}});
}

TEST_P(ResponseCacheTest, PathsAreCachedApart) {
  get("/a");
  emu().answer_http_call(last_token(), {{":status", "200"}}, "A");
  get("/b");
  EXPECT_EQ(host().http_callouts().size(), 2u);
  emu().answer_http_call(last_token(), {{":status", "200"}}, "B");
  expect_reply(get("/a"), 200, "A", {{"x-cache", "hit"}});
  expect_reply(get("/b"), 200, "B", {{"x-cache", "hit"}});
}

TEST_P(ResponseCacheTest, OtherAnswersPassButAreNotCached) {
  const uint32_t s = get();
  emu().answer_http_call(last_token(), {{":status", "404"}}, "no such price");
  expect_reply(s, 404, "no such price", {{"x-cache", "miss"}});
  EXPECT_EQ(cached(), std::nullopt);
  get();
  EXPECT_EQ(host().http_callouts().size(), 2u);
}

TEST_P(ResponseCacheTest, AnOriginThatFailsIsABadGateway) {
  const uint32_t failed = get();
  emu().fail_http_call(last_token());
  expect_reply(failed, 502, "origin unavailable", {});
  const uint32_t timed_out = get();
  emu().advance(5000);  // the callout's timeout
  expect_reply(timed_out, 502, "origin unavailable", {});
  EXPECT_EQ(cached(), std::nullopt);
}

TEST_P(ResponseCacheTest, ACorruptEntryIsFetchedAgain) {
  ASSERT_EQ(host().set_shared_data("response_cache:/price", "garbage", 0), StatusCode::Ok);
  const uint32_t s = get();
  EXPECT_EQ(host().http_callouts().size(), 1u);
  emu().answer_http_call(last_token(), {{":status", "200"}}, "42 EUR");
  expect_reply(s, 200, "42 EUR", {{"x-cache", "miss"}});
  EXPECT_EQ(cached(), "1000\n42 EUR");
}

TEST_P(ResponseCacheTest, TheClientGoneDuringTheFetchCachesNothing) {
  const uint32_t s = get();
  const uint32_t token = last_token();
  emu().end_stream(s);
  emu().answer_http_call(token, {{":status", "200"}}, "42 EUR");  // dropped
  EXPECT_EQ(cached(), std::nullopt);
  EXPECT_FALSE(host().stream(s).local_response.has_value());
}

TEST_P(ResponseCacheTest, OtherMethodsGoOnUntouched) {
  const uint32_t s = emu().open_stream(root_);
  EXPECT_EQ(emu().send_request_headers(s, {{":method", "POST"}, {":path", "/price"}}),
            Action::Continue);
  EXPECT_TRUE(host().http_callouts().empty());
  EXPECT_FALSE(host().stream(s).local_response.has_value());
}

TEST_P(ResponseCacheTest, TheDefaultTtlIsTenSeconds) {
  reset_emulator();
  root_ = emu().start_plugin();
  get();
  emu().answer_http_call(last_token(), {{":status", "200"}}, "42 EUR");
  EXPECT_EQ(cached(), "10000\n42 EUR");
}

TEST_P(ResponseCacheTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"ttl": -5})",
       "invalid plugin configuration: $.ttl: expected a duration from 0 up, got the number -5"},
      {R"({"ttl": 0})", "invalid plugin configuration: $.ttl: must be at least 1ms"},
      {R"({"ttl": true})",
       "invalid plugin configuration: $.ttl: expected a number of milliseconds or a duration "
       "such as \"250ms\", \"1.5s\", \"2m\", got true"},
      {R"({"ttl_ms": 1000})", "invalid plugin configuration: $.ttl_ms: unknown field (known: ttl)"},
      {"10s", "invalid plugin configuration: $: not JSON: line 1, column 3: The document root "
              "must not be followed by other values."},
  });
}

}  // namespace
