// http_body_chunk on both backends: each clean chunk passed on in its own callback, a 403 at
// the chunk with the word (the ones before have gone on), a word split across chunks, the
// configured word, a request without a body, the client gone mid-body, and a bad configuration
// refused with the operator's message.
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;

class HttpBodyChunkTest : public coproxy::testing::PluginTest {
 protected:
  uint32_t post(const std::string& config = "") {
    const uint32_t stream = emu().open_stream(emu().start_plugin(config));
    emu().send_request_headers(stream, {{":method", "POST"}, {":path", "/upload"}});
    return stream;
  }
  bool denied(uint32_t stream) {
    const auto& reply = host().stream(stream).local_response;
    return reply.has_value() && reply->status_code == 403 &&
           reply->body == "forbidden word in the body";
  }
};
COPROXY_PLUGIN_TEST_SUITE(HttpBodyChunkTest, "http_body_chunk");

TEST_P(HttpBodyChunkTest, CleanChunksGoOnOneByOne) {
  const uint32_t s = post();
  // Each chunk is checked in its own callback and goes on at once: the coroutine, asking for
  // the next one, lets it go.
  EXPECT_EQ(emu().send_request_body(s, "first,", false), Action::Continue);
  EXPECT_EQ(host().stream(s).request.forwarded, "first,");
  EXPECT_EQ(emu().send_request_body(s, "second,", false), Action::Continue);
  EXPECT_EQ(host().stream(s).request.forwarded, "first,second,");
  emu().send_request_body(s, "last", true);
  EXPECT_EQ(host().stream(s).request.forwarded, "first,second,last");
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().metric_value("http_body_chunk_chunks_total"), 3u);
  EXPECT_EQ(host().metric_value("http_body_chunk_blocked_total"), 0u);
}

TEST_P(HttpBodyChunkTest, TheChunkWithTheWordIsAnswered403) {
  const uint32_t s = post();
  emu().send_request_body(s, "fine,", false);
  emu().send_request_body(s, "a forbidden thing,", false);
  EXPECT_TRUE(denied(s));
  EXPECT_EQ(host().stream(s).request.forwarded, "fine,");  // the chunk before had gone on
  EXPECT_EQ(emu().send_request_body(s, "more", true), std::nullopt);  // the request is over
  EXPECT_EQ(host().metric_value("http_body_chunk_blocked_total"), 1u);
  EXPECT_EQ(last_log_message(), "http_body_chunk: 'forbidden' in the body");
}

TEST_P(HttpBodyChunkTest, AWordSplitAcrossChunksIsFound) {
  const uint32_t s = post(R"({"word": "secret"})");
  emu().send_request_body(s, "my sec", false);
  EXPECT_FALSE(denied(s));
  emu().send_request_body(s, "ret", true);
  EXPECT_TRUE(denied(s));
  EXPECT_EQ(host().stream(s).request.forwarded, "my sec");
}

TEST_P(HttpBodyChunkTest, OnlyTheConfiguredWordCounts) {
  const uint32_t s = post(R"({"word": "secret"})");
  emu().send_request_body(s, "forbidden", false);
  emu().send_request_body(s, "s-e-c-r-e-t", true);
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().stream(s).request.forwarded, "forbiddens-e-c-r-e-t");
}

TEST_P(HttpBodyChunkTest, ARequestWithoutABodyFlows) {
  const uint32_t stream = emu().open_stream(emu().start_plugin());
  EXPECT_EQ(emu().send_request_headers(stream, {{":method", "GET"}}, true), Action::Continue);
  EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}), Action::Continue);
  EXPECT_EQ(host().metric_value("http_body_chunk_chunks_total"), 0u);
}

TEST_P(HttpBodyChunkTest, ClientGoneMidBody) {
  const uint32_t s = post();
  emu().send_request_body(s, "part", false);
  emu().end_stream(s);
  EXPECT_EQ(host().stream(s).request.forwarded, "part");
  EXPECT_EQ(host().metric_value("http_body_chunk_chunks_total"), 1u);
  EXPECT_FALSE(host().stream(s).local_response.has_value());
}

TEST_P(HttpBodyChunkTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"word": ""})", "invalid plugin configuration: $.word: must not be empty"},
      {R"({"word": ["a", "b"]})",
       "invalid plugin configuration: $.word: expected a string, got an array"},
      {R"({"words": "secret"})",
       "invalid plugin configuration: $.words: unknown field (known: word)"},
      {"secret", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
