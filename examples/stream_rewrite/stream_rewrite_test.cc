// stream_rewrite on both backends: the request body goes to the rewriter and its answer
// becomes the response body; a request without a body; a rewriter that fails or refuses
// (502); a request body past the limit (413); a response past it (untouched); the client gone
// during the callout; a bad configuration refused with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

class StreamRewriteTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"max_body_bytes": 16})"); }
  uint32_t post() {
    const uint32_t s = emu().open_stream(root_);
    emu().send_request_headers(s, {{":method", "POST"}, {":path", "/greet"}});
    return s;
  }
  void expect_reply(uint32_t s, uint32_t status, const std::string& body) {
    ASSERT_TRUE(host().stream(s).local_response.has_value());
    EXPECT_EQ(host().stream(s).local_response->status_code, status);
    EXPECT_EQ(host().stream(s).local_response->body, body);
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(StreamRewriteTest, "stream_rewrite");

TEST_P(StreamRewriteTest, TheRewritersAnswerBecomesTheResponseBody) {
  const uint32_t s = post();
  emu().send_request_body(s, "hello ", false);
  EXPECT_TRUE(host().http_callouts().empty());  // the whole body first
  emu().send_request_body(s, "world", true);
  ASSERT_EQ(host().http_callouts().size(), 1u);
  const coproxy::testing::HttpCallout& call = host().http_callouts()[0];
  EXPECT_EQ(call.upstream, "rewriter");
  EXPECT_EQ(call.headers,
            (Pairs{{":method", "POST"}, {":path", "/rewrite"}, {":authority", "rewriter"}}));
  EXPECT_EQ(call.body, "hello world");
  EXPECT_EQ(host().stream(s).request.forwarded, "");  // held while the rewriter works
  emu().answer_http_call(call.token, {{":status", "200"}}, "HELLO, WORLD");
  EXPECT_EQ(host().stream(s).request.forwarded, "hello world");

  emu().send_response_headers(s, {{":status", "200"}, {"content-length", "2"}});
  EXPECT_EQ(host().stream(s).maps[2], (Pairs{{":status", "200"}}));
  emu().send_response_body(s, "hi", true);
  EXPECT_EQ(host().stream(s).response.forwarded, "HELLO, WORLD");
  EXPECT_EQ(host().metric_value("stream_rewrite_rewritten_total"), 1u);
  EXPECT_FALSE(host().stream(s).local_response.has_value());
}

TEST_P(StreamRewriteTest, ARequestWithoutABodySendsAnEmptyOne) {
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":method", "GET"}, {":path", "/"}}, true);
  ASSERT_EQ(host().http_callouts().size(), 1u);
  EXPECT_EQ(host().http_callouts()[0].body, "");
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}}, "new");
  emu().send_response_headers(s, {{":status", "200"}});
  emu().send_response_body(s, "old", true);
  EXPECT_EQ(host().stream(s).response.forwarded, "new");
}

TEST_P(StreamRewriteTest, ARewriterThatFailsOrRefusesIsABadGateway) {
  const uint32_t failed = post();
  emu().send_request_body(failed, "x", true);
  emu().fail_http_call(host().http_callouts().back().token);
  expect_reply(failed, 502, "rewriter unavailable");
  EXPECT_EQ(host().stream(failed).request.forwarded, "");  // the body never went up

  const uint32_t refused = post();
  emu().send_request_body(refused, "x", true);
  emu().answer_http_call(host().http_callouts().back().token, {{":status", "500"}}, "oops");
  expect_reply(refused, 502, "rewriter unavailable");
  EXPECT_EQ(host().metric_value("stream_rewrite_rewritten_total"), 0u);
}

TEST_P(StreamRewriteTest, ARequestBodyPastTheLimitIs413) {
  const uint32_t s = post();
  emu().send_request_body(s, "0123456789", false);
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  emu().send_request_body(s, "0123456789", false);  // 20 bytes > 16
  expect_reply(s, 413, "request body too large");
  EXPECT_TRUE(host().http_callouts().empty());
  EXPECT_EQ(host().stream(s).request.forwarded, "");
}

TEST_P(StreamRewriteTest, AResponseBodyPastTheLimitFlowsUntouched) {
  const uint32_t s = post();
  emu().send_request_body(s, "x", true);
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}}, "new");
  emu().send_response_headers(s, {{":status", "200"}});
  emu().send_response_body(s, "a response longer than sixteen bytes", true);
  EXPECT_EQ(host().stream(s).response.forwarded, "a response longer than sixteen bytes");
  EXPECT_EQ(last_log_message(),
            "stream_rewrite: response body over the limit, left as it is");
}

TEST_P(StreamRewriteTest, TheClientGoneDuringTheCallout) {
  const uint32_t s = post();
  emu().send_request_body(s, "x", true);
  const uint32_t token = host().http_callouts()[0].token;
  emu().end_stream(s);
  emu().answer_http_call(token, {{":status", "200"}}, "new");  // dropped
  EXPECT_EQ(host().stream(s).request.forwarded, "");
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().metric_value("stream_rewrite_rewritten_total"), 0u);
}

TEST_P(StreamRewriteTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"max_body_bytes": "big"})",
       "invalid plugin configuration: $.max_body_bytes: expected an integer from 0 to 4294967295, "
       "got the string \"big\""},
      {R"({"max_body_bytes": -1})",
       "invalid plugin configuration: $.max_body_bytes: expected an integer from 0 to 4294967295, "
       "got the number -1"},
      {R"({"limit": 16})",
       "invalid plugin configuration: $.limit: unknown field (known: max_body_bytes)"},
      {"big", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
