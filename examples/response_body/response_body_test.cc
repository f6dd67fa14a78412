// response_body on both backends: the response body held to its end and rewritten,
// content-length removed, a body without the word or past the limit untouched, a response
// without a body, the client gone while the body is held, an empty "to" deleting the word, and a
// bad configuration refused with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

class ResponseBodyTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"from": "cat", "to": "dog"})"); }
  // A GET whose response is `chunks`; returns the stream.
  uint32_t respond(const std::vector<std::string>& chunks) {
    const uint32_t stream = emu().open_stream(root_);
    EXPECT_EQ(emu().send_request_headers(stream, {{":method", "GET"}}, true), Action::Continue);
    emu().send_response_headers(stream, {{":status", "200"}, {"content-length", "99"}});
    for (size_t i = 0; i < chunks.size(); ++i) {
      emu().send_response_body(stream, chunks[i], i + 1 == chunks.size());
    }
    return stream;
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(ResponseBodyTest, "response_body");

TEST_P(ResponseBodyTest, RewritesTheWholeBody) {
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":method", "GET"}}, true);
  EXPECT_EQ(emu().send_response_headers(s, {{":status", "200"}, {"content-length", "23"}}),
            Action::Continue);
  EXPECT_EQ(host().stream(s).maps[2], (Pairs{{":status", "200"}}));  // content-length gone
  EXPECT_EQ(emu().send_response_body(s, "a cat, a c", false), Action::Pause);
  EXPECT_EQ(host().stream(s).response.forwarded, "");
  emu().send_response_body(s, "at, catalog", true);  // a word across two chunks too
  EXPECT_EQ(host().stream(s).response.forwarded, "a dog, a dog, dogalog");
  EXPECT_EQ(host().metric_value("response_body_replacements_total"), 3u);
}

TEST_P(ResponseBodyTest, AReplacementHoldingTheWordIsNotRewrittenAgain) {
  const uint32_t root = emu().start_plugin(R"({"from": "a", "to": "aa"})");
  const uint32_t s = emu().open_stream(root);
  emu().send_request_headers(s, {{":method", "GET"}}, true);
  emu().send_response_headers(s, {{":status", "200"}});
  emu().send_response_body(s, "banana", true);
  EXPECT_EQ(host().stream(s).response.forwarded, "baanaanaa");
}

TEST_P(ResponseBodyTest, ABodyWithoutTheWordIsUntouched) {
  EXPECT_EQ(host().stream(respond({"no pets here"})).response.forwarded, "no pets here");
  EXPECT_EQ(host().metric_value("response_body_replacements_total"), 0u);
}

TEST_P(ResponseBodyTest, ABodyPastTheLimitGoesOnUntouched) {
  const std::string big(65536, 'c');
  const uint32_t s = respond({big, "cat"});
  EXPECT_EQ(host().stream(s).response.forwarded, big + "cat");
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  EXPECT_EQ(last_log_message(), "response_body: a body past 64 KiB goes on untouched");
}

TEST_P(ResponseBodyTest, AResponseWithoutABody) {
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":method", "HEAD"}}, true);
  EXPECT_EQ(emu().send_response_headers(s, {{":status", "204"}}, true), Action::Continue);
  EXPECT_EQ(host().stream(s).maps[2], (Pairs{{":status", "204"}}));
  EXPECT_EQ(host().stream(s).response.forwarded, "");
}

TEST_P(ResponseBodyTest, ClientGoneWhileTheBodyIsHeld) {
  const uint32_t s = respond({});
  emu().send_response_body(s, "a cat", false);
  emu().end_stream(s);
  EXPECT_EQ(host().stream(s).response.forwarded, "");
  EXPECT_EQ(host().metric_value("response_body_replacements_total"), 0u);
}

TEST_P(ResponseBodyTest, AnEmptyToDeletesTheWord) {
  const uint32_t root = emu().start_plugin(R"({"from": "cat ", "to": ""})");
  const uint32_t s = emu().open_stream(root);
  emu().send_request_headers(s, {{":method", "GET"}}, true);
  emu().send_response_headers(s, {{":status", "200"}});
  emu().send_response_body(s, "a cat sat", true);
  EXPECT_EQ(host().stream(s).response.forwarded, "a sat");
}

TEST_P(ResponseBodyTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {"", "invalid plugin configuration: $: required, the configuration is empty"},
      {R"({"from": "cat"})", "invalid plugin configuration: $.to: required, missing"},
      {R"({"from": "", "to": "dog"})", "invalid plugin configuration: $.from: must not be empty"},
      {R"({"from": ["cat"], "to": "dog"})",
       "invalid plugin configuration: $.from: expected a string, got an array"},
      {R"({"from": "cat", "too": "dog"})", "invalid plugin configuration: $.to: required, missing"},
      {R"({"from": "cat", "to": "dog", "count": 1})",
       "invalid plugin configuration: $.count: unknown field (known: from, to)"},
      {"cat=dog", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
