// A local reply in every HTTP style (tests/coro/local_reply_probe), on both backends: Envoy
// runs the plugin's own reply through the stream's response callbacks, so a filter stamps
// its 403 exactly as it stamps an upstream's answer, whichever style it is written in. The
// plugin's root id picks the style.
#include <string>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace coproxy::testing {
namespace {

class LocalReplyTest : public PluginTest {
 protected:
  void expect_the_reply_is_stamped_like_an_upstream_response(const std::string& style) {
    const uint32_t root = emu().start_plugin("", style);
    const Pairs stamp = {{"x-stamp", style}, {"x-request-id", "r1"}};

    const uint32_t denied = emu().open_stream(root);
    EXPECT_EQ(emu().send_request_headers(denied, {{"x-deny", "1"}, {"x-request-id", "r1"}}, true),
              Action::Pause);
    ASSERT_TRUE(host().stream(denied).local_response.has_value());
    Pairs reply = {{":status", "403"}};
    reply.insert(reply.end(), stamp.begin(), stamp.end());
    EXPECT_EQ(host().stream(denied).maps[2], reply);
    EXPECT_EQ(host().stream(denied).response.forwarded, "denied");
    EXPECT_TRUE(host().stream(denied).continued.empty());
    emu().end_stream(denied);

    const uint32_t allowed = emu().open_stream(root);
    EXPECT_EQ(emu().send_request_headers(allowed, {{"x-request-id", "r1"}}, true),
              Action::Continue);
    emu().send_response_headers(allowed, {{":status", "200"}});
    Pairs upstream = {{":status", "200"}};
    upstream.insert(upstream.end(), stamp.begin(), stamp.end());
    EXPECT_EQ(host().stream(allowed).maps[2], upstream);
    emu().end_stream(allowed);
  }
};
COPROXY_PLUGIN_TEST_SUITE(LocalReplyTest, "local_reply_probe");

TEST_P(LocalReplyTest, InCallbacksTheReplyIsStampedLikeAnUpstreamResponse) {
  expect_the_reply_is_stamped_like_an_upstream_response("callbacks");
}

TEST_P(LocalReplyTest, InTasksTheReplyIsStampedLikeAnUpstreamResponse) {
  expect_the_reply_is_stamped_like_an_upstream_response("tasks");
}

TEST_P(LocalReplyTest, InAStreamCoroutineTheReplyIsStampedLikeAnUpstreamResponse) {
  expect_the_reply_is_stamped_like_an_upstream_response("stream");
}

}  // namespace
}  // namespace coproxy::testing
