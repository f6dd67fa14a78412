// postpone_requests on both backends: each request is held for the delay on the virtual clock,
// streams wait independently, a body arriving meanwhile follows, a client gone while waiting
// cancels the wait, a zero delay does not wait, a delay in seconds, a bad delay is refused with
// the operator's message.
#include <utility>
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
  const uint32_t root = emu().start_plugin(R"({"delay": 300})");
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
  const uint32_t stream = request(emu().start_plugin(R"({"delay": "50ms"})"));
  EXPECT_EQ(emu().send_request_body(stream, "payload", true), std::nullopt);  // held
  EXPECT_EQ(host().stream(stream).request.forwarded, "");
  emu().advance(50);
  EXPECT_EQ(host().stream(stream).request.forwarded, "payload");
}

TEST_P(PostponeRequestsTest, AClientGoneWhileWaitingCancelsTheWait) {
  const uint32_t root = emu().start_plugin(R"({"delay": "50ms"})");
  const uint32_t gone = request(root);
  const uint32_t stays = request(root);
  emu().end_stream(gone);
  emu().advance(50);
  EXPECT_TRUE(host().stream(gone).continued.empty());
  EXPECT_TRUE(continued(stays));
  EXPECT_EQ(host().tick_period_ms(root), 0u);  // no timer left: the tick is off
}

TEST_P(PostponeRequestsTest, AZeroDelayDoesNotWait) {
  const uint32_t root = emu().start_plugin(R"({"delay": 0})");
  const uint32_t stream = emu().open_stream(root);
  EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}}), Action::Continue);
  EXPECT_EQ(host().tick_period_ms(root), 0u);  // no timer was started
}

TEST_P(PostponeRequestsTest, ADelayInSeconds) {
  const uint32_t stream = request(emu().start_plugin(R"({"delay": "1.5s"})"));
  emu().advance(1499);
  EXPECT_FALSE(continued(stream));
  emu().advance(1);
  EXPECT_TRUE(continued(stream));
}

TEST_P(PostponeRequestsTest, ABadDelayIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"delay": "soon"})",
       "invalid plugin configuration: $.delay: expected a number of milliseconds or a duration "
       "such as \"250ms\", \"1.5s\", \"2m\", got the string \"soon\""},
      {R"({"delay": -5})",
       "invalid plugin configuration: $.delay: expected a duration from 0 up, got the number -5"},
      {R"({"delay": 2.5})",
       "invalid plugin configuration: $.delay: expected a whole number of milliseconds, got the "
       "number 2.5"},
      {R"({"dealy": 300})", "invalid plugin configuration: $.dealy: unknown field (known: delay)"},
      {"2s", "invalid plugin configuration: $: not JSON: line 1, column 2: The document root "
       "must not be followed by other values."},
  });
}

}  // namespace
