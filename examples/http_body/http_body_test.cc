// http_body on both backends: the whole body rewritten in each mode (content-length dropped),
// a body past the limit answered 413, a request without a body untouched, the client gone
// while the body is held, and a bad configuration refused.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

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
  const uint32_t s = post("replace {\"new\": true}", {"hello", " world"});
  EXPECT_EQ(host().stream(s).request.forwarded, "{\"new\": true}");
  EXPECT_EQ(host().stream(s).maps[0], (Pairs{{":method", "POST"}}));  // content-length gone
  EXPECT_FALSE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().metric_value("http_body_rewritten_total"), 1u);
}

TEST_P(HttpBodyTest, PrependsAndAppends) {
  EXPECT_EQ(host().stream(post("prepend >> ", {"hello", " world"})).request.forwarded,
            ">> hello world");
  EXPECT_EQ(host().stream(post("append !", {"hello world"})).request.forwarded, "hello world!");
}

TEST_P(HttpBodyTest, HoldsTheBodyUntilItsEnd) {
  const uint32_t stream = emu().open_stream(emu().start_plugin("append !"));
  emu().send_request_headers(stream, {{":method", "POST"}});
  EXPECT_EQ(emu().send_request_body(stream, "part 1,", false), Action::Pause);
  EXPECT_EQ(host().stream(stream).request.forwarded, "");
  emu().send_request_body(stream, "part 2", true);
  EXPECT_EQ(host().stream(stream).request.forwarded, "part 1,part 2!");
}

TEST_P(HttpBodyTest, ABodyPastTheLimitIs413) {
  const uint32_t s = post("replace x", {std::string(1000, 'a'), std::string(100, 'b')});
  ASSERT_TRUE(host().stream(s).local_response.has_value());
  EXPECT_EQ(host().stream(s).local_response->status_code, 413u);
  EXPECT_EQ(host().stream(s).local_response->body, "request body too large");
  EXPECT_EQ(host().stream(s).request.forwarded, "");
  EXPECT_EQ(host().metric_value("http_body_rewritten_total"), std::nullopt);
}

TEST_P(HttpBodyTest, ARequestWithoutABodyFlows) {
  const uint32_t stream = emu().open_stream(emu().start_plugin("replace x"));
  emu().send_request_headers(stream, {{":method", "GET"}, {":path", "/"}}, true);
  EXPECT_FALSE(host().stream(stream).local_response.has_value());
  EXPECT_EQ(host().stream(stream).maps[0], (Pairs{{":method", "GET"}, {":path", "/"}}));
  EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}), Action::Continue);
}

TEST_P(HttpBodyTest, ClientGoneWhileTheBodyIsHeld) {
  const uint32_t stream = emu().open_stream(emu().start_plugin("replace x"));
  emu().send_request_headers(stream, {{":method", "POST"}});
  emu().send_request_body(stream, "half", false);
  emu().end_stream(stream);
  EXPECT_EQ(host().stream(stream).request.forwarded, "");
  EXPECT_EQ(host().metric_value("http_body_rewritten_total"), std::nullopt);
}

TEST_P(HttpBodyTest, ABadConfigurationIsRefused) {
  EXPECT_EQ(emu().start_plugin("shuffle x"), 0u);
  EXPECT_EQ(emu().start_plugin(""), 0u);
  EXPECT_EQ(host().logs().back().message,
            "http_body: the configuration must be '<replace|prepend|append> <text>'");
}

}  // namespace
