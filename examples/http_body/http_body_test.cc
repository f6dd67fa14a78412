// http_body on both backends: the whole body rewritten in each mode (content-length dropped),
// a body past the limit answered 413, a request without a body untouched, the client gone
// while the body is held, and a bad configuration refused with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

constexpr const char* kReplace = R"({"mode": "replace", "text": "x"})";
constexpr const char* kAppend = R"({"mode": "append", "text": "!"})";

class HttpBodyTest : public coproxy::testing::PluginTest {
 protected:
  // A POST of `chunks`, the last one ending the request; returns the stream.
  uint32_t post(const std::string& config, const std::vector<std::string>& chunks) {
    const uint32_t stream = emu().open_stream(emu().start_plugin(config));
    emu().send_request_headers(stream, {{":method", "POST"}, {"content-length", "11"}});
    for (size_t i = 0; i < chunks.size(); ++i) {
      emu().send_request_body(stream, chunks[i], i + 1 == chunks.size());
    }
    return stream;
  }
};
COPROXY_PLUGIN_TEST_SUITE(HttpBodyTest, "http_body");

TEST_P(HttpBodyTest, ReplacesTheWholeBody) {
  const uint32_t s = post(R"({"mode": "replace", "text": "{\"new\": true}"})", {"hello", " world"});
  EXPECT_EQ(host().stream(s).request.forwarded, "{\"new\": true}");
  EXPECT_EQ(host().stream(s).maps[0], (Pairs{{":method", "POST"}}));  // content-length gone
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().metric_value("http_body_rewritten_total"), 1u);
}

TEST_P(HttpBodyTest, PrependsAndAppends) {
  const uint32_t prepended = post(R"({"mode": "prepend", "text": ">> "})", {"hello", " world"});
  EXPECT_EQ(host().stream(prepended).request.forwarded, ">> hello world");
  const uint32_t appended = post(kAppend, {"hello world"});
  EXPECT_EQ(host().stream(appended).request.forwarded, "hello world!");
}

TEST_P(HttpBodyTest, HoldsTheBodyUntilItsEnd) {
  const uint32_t stream = emu().open_stream(emu().start_plugin(kAppend));
  emu().send_request_headers(stream, {{":method", "POST"}});
  EXPECT_EQ(emu().send_request_body(stream, "part 1,", false), Action::Pause);
  EXPECT_EQ(host().stream(stream).request.forwarded, "");
  emu().send_request_body(stream, "part 2", true);
  EXPECT_EQ(host().stream(stream).request.forwarded, "part 1,part 2!");
}

TEST_P(HttpBodyTest, ABodyPastTheLimitIs413) {
  const uint32_t s = post(kReplace, {std::string(1000, 'a'), std::string(100, 'b')});
  ASSERT_TRUE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().stream(s).local_response->status_code, 413u);
  EXPECT_EQ(host().stream(s).local_response->body, "request body too large");
  EXPECT_EQ(host().stream(s).request.forwarded, "");
  EXPECT_EQ(host().metric_value("http_body_rewritten_total"), 0u);
}

TEST_P(HttpBodyTest, ARequestWithoutABodyFlows) {
  const uint32_t stream = emu().open_stream(emu().start_plugin(kReplace));
  emu().send_request_headers(stream, {{":method", "GET"}, {":path", "/"}}, true);
  EXPECT_FALSE(host().stream(stream).local_response.has_value());
  EXPECT_EQ(host().stream(stream).maps[0], (Pairs{{":method", "GET"}, {":path", "/"}}));
  EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}), Action::Continue);
}

TEST_P(HttpBodyTest, ClientGoneWhileTheBodyIsHeld) {
  const uint32_t stream = emu().open_stream(emu().start_plugin(kReplace));
  emu().send_request_headers(stream, {{":method", "POST"}});
  emu().send_request_body(stream, "half", false);
  emu().end_stream(stream);
  EXPECT_EQ(host().stream(stream).request.forwarded, "");
  EXPECT_EQ(host().metric_value("http_body_rewritten_total"), 0u);
}

TEST_P(HttpBodyTest, ReplacingWithNoTextEmptiesTheBody) {
  const uint32_t s = post(R"({"mode": "replace"})", {"hello"});
  EXPECT_EQ(host().stream(s).request.forwarded, "");
  EXPECT_EQ(host().metric_value("http_body_rewritten_total"), 1u);
}

TEST_P(HttpBodyTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"mode": "shuffle", "text": "x"})",
       "invalid plugin configuration: $.mode: expected one of \"replace\", \"prepend\", "
       "\"append\", got the string \"shuffle\""},
      {R"({"mode": "append", "text": 1})",
       "invalid plugin configuration: $.text: expected a string, got the number 1"},
      {R"({"text": "x"})", "invalid plugin configuration: $.mode: required, missing"},
      {R"({"mode": "append", "txet": "!"})",
       "invalid plugin configuration: $.txet: unknown field (known: mode, text)"},
      {"", "invalid plugin configuration: $: required, the configuration is empty"},
      {"append !", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
