// access_logger on both backends: one line per stream when it is done, with the time the
// stream took on the virtual clock, slow requests as warnings, an error response, a
// stream reset before its response, and a bad configuration refused with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::LogLevel;
using Logs = std::vector<std::string>;

class AccessLoggerTest : public coproxy::testing::PluginTest {
 protected:
  // A request answered `status` after `ms` milliseconds.
  uint32_t request(uint32_t root, std::string path, std::string status, uint64_t ms) {
    const uint32_t stream = emu().open_stream(root);
    emu().send_request_headers(stream, {{":method", "GET"}, {":path", path}}, true);
    emu().advance(ms);
    emu().send_response_headers(stream, {{":status", status}}, true);
    return stream;
  }
};
COPROXY_PLUGIN_TEST_SUITE(AccessLoggerTest, "access_logger");

TEST_P(AccessLoggerTest, OneLinePerStreamWhenItIsDone) {
  const uint32_t root = emu().start_plugin();
  const uint32_t a = request(root, "/orders", "200", 12);
  const uint32_t b = request(root, "/missing", "404", 3);
  EXPECT_EQ(log_messages(), Logs{});  // nothing before the streams are done
  emu().advance(5);
  emu().end_stream(b);
  emu().end_stream(a);
  EXPECT_EQ(log_messages(), (Logs{"GET /missing 404 8ms", "GET /orders 200 20ms"}));
  EXPECT_EQ(host().logs().back().level, LogLevel::Info);
}

TEST_P(AccessLoggerTest, TheTimeStartsWithTheRequestHeaders) {
  const uint32_t root = emu().start_plugin();
  const uint32_t s = emu().open_stream(root);
  emu().advance(100);  // the stream exists, no request yet
  emu().send_request_headers(s, {{":method", "POST"}, {":path", "/upload"}});
  emu().send_request_body(s, "data", true);
  emu().advance(7);
  emu().send_response_headers(s, {{":status", "201"}}, true);
  emu().end_stream(s);
  EXPECT_EQ(log_messages(), Logs{"POST /upload 201 7ms"});
}

TEST_P(AccessLoggerTest, SlowRequestsAreWarnings) {
  const uint32_t root = emu().start_plugin(R"({"slow": 50})");
  emu().end_stream(request(root, "/fast", "200", 49));
  emu().end_stream(request(root, "/slow", "200", 50));
  ASSERT_EQ(host().logs().size(), 2u);
  EXPECT_EQ(host().logs()[0].level, LogLevel::Info);
  EXPECT_EQ(host().logs()[0].message, "GET /fast 200 49ms");
  EXPECT_EQ(host().logs()[1].level, LogLevel::Warn);
  EXPECT_EQ(host().logs()[1].message, "GET /slow 200 50ms (slow)");
}

TEST_P(AccessLoggerTest, AStreamResetBeforeItsResponse) {
  const uint32_t s = emu().open_stream(emu().start_plugin());
  emu().send_request_headers(s, {{":method", "GET"}, {":path", "/hang"}}, true);
  emu().advance(30);
  emu().end_stream(s);
  EXPECT_EQ(log_messages(), Logs{"GET /hang - 30ms"});
}

TEST_P(AccessLoggerTest, AnErrorResponseLogsItsStatus) {
  const uint32_t s = emu().open_stream(emu().start_plugin());
  emu().send_request_headers(s, {{":method", "DELETE"}, {":path", "/x"}}, true);
  emu().send_response_headers(s, {{":status", "503"}, {"x-envoy-overloaded", "true"}}, true);
  emu().end_stream(s);
  EXPECT_EQ(log_messages(), Logs{"DELETE /x 503 0ms"});
}

TEST_P(AccessLoggerTest, AStreamGoneBeforeItsRequestHeaders) {
  const uint32_t s = emu().open_stream(emu().start_plugin());
  emu().end_stream(s);
  EXPECT_EQ(log_messages(), Logs{"- - - 0ms"});
}

TEST_P(AccessLoggerTest, TheSlowThresholdTakesAUnit) {
  const uint32_t root = emu().start_plugin(R"({"slow": "1.5s"})");
  emu().end_stream(request(root, "/fast", "200", 1499));
  emu().end_stream(request(root, "/slow", "200", 1500));
  EXPECT_EQ(log_messages(), (Logs{"GET /fast 200 1499ms", "GET /slow 200 1500ms (slow)"}));
}

TEST_P(AccessLoggerTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"slow": "fast"})",
       "invalid plugin configuration: $.slow: expected a number of milliseconds or a duration "
       "such as \"250ms\", \"1.5s\", \"2m\", got the string \"fast\""},
      {R"({"slow": -5})",
       "invalid plugin configuration: $.slow: expected a duration from 0 up, got the number -5"},
      {R"({"slow_ms": 50})",
       "invalid plugin configuration: $.slow_ms: unknown field (known: slow)"},
      {"slow_ms=50",
       "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
