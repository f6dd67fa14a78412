// postpone_requests on both backends: each request is held for the delay on the virtual clock,
// streams wait independently, a body arriving meanwhile follows, a client gone while waiting
// cancels the wait, a zero delay does not wait, a bad delay is refused.
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StreamType;

class PostponeRequestsTest : public coproxy::testing::PluginTest {
 protected:
  uint32_t request(uint32_t root) {
    const uint32_t stream = emu().open_stream(root);
    EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}}), Action::Pause);
    return stream;
  }
  bool continued(uint32_t stream) {
    return host().stream(stream).continued == std::vector<StreamType>{StreamType::HttpRequest};
  }
};
COPROXY_PLUGIN_TEST_SUITE(PostponeRequestsTest, "postpone_requests");

TEST_P(PostponeRequestsTest, EachRequestWaitsForTheDelay) {
  const uint32_t root = emu().start_plugin("300");
  const uint32_t first = request(root);
  emu().advance(100);
  const uint32_t second = request(root);
  emu().advance(199);
  EXPECT_FALSE(continued(first));
  emu().advance(1);  // 300 ms since the first
  EXPECT_TRUE(continued(first));
  EXPECT_FALSE(continued(second));
  emu().advance(100);  // 300 ms since the second
  EXPECT_TRUE(continued(second));
}

TEST_P(PostponeRequestsTest, TheDefaultDelayIsOneSecond) {
  const uint32_t stream = request(emu().start_plugin());
  emu().advance(999);
  EXPECT_FALSE(continued(stream));
  emu().advance(1);
  EXPECT_TRUE(continued(stream));
}

TEST_P(PostponeRequestsTest, TheBodyFollowsTheRequest) {
  const uint32_t stream = request(emu().start_plugin("50"));
  EXPECT_EQ(emu().send_request_body(stream, "payload", true), std::nullopt);  // held
  EXPECT_EQ(host().stream(stream).request.forwarded, "");
  emu().advance(50);
  EXPECT_EQ(host().stream(stream).request.forwarded, "payload");
}

TEST_P(PostponeRequestsTest, AClientGoneWhileWaitingCancelsTheWait) {
  const uint32_t root = emu().start_plugin("50");
  const uint32_t gone = request(root);
  const uint32_t stays = request(root);
  emu().end_stream(gone);
  emu().advance(50);
  EXPECT_TRUE(host().stream(gone).continued.empty());
  EXPECT_TRUE(continued(stays));
  EXPECT_EQ(host().tick_period_ms(root), 0u);  // no timer left: the tick is off
}

TEST_P(PostponeRequestsTest, AZeroDelayDoesNotWait) {
  const uint32_t root = emu().start_plugin("0");
  const uint32_t stream = emu().open_stream(root);
  EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}}), Action::Continue);
  EXPECT_EQ(host().tick_period_ms(root), 0u);  // no timer was started
}

TEST_P(PostponeRequestsTest, ABadDelayIsRefused) {
  EXPECT_EQ(emu().start_plugin("2s"), 0u);
  EXPECT_EQ(host().logs().back().message,
            "postpone_requests: the delay must be milliseconds, not '2s'");
}

}  // namespace
