// grpc_stream on both backends: the Watch stream opened at the first tick (never in the canary VM)
// with its subscription, updates applied to the requests that follow, a bad update ignored, the
// stream closing (the last config kept, a new stream after the delay), the plugin stopped (the
// stream cancelled), a bad configuration refused with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::testing::GrpcCallout;
using coproxy::testing::Pairs;

class GrpcStreamTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override {
    root_ = emu().start_plugin(R"({"reconnect_delay": "500ms"})");
    emu().advance(1);  // the first tick opens the stream
  }
  Pairs request() {
    const uint32_t s = emu().open_stream(root_);
    EXPECT_EQ(emu().send_request_headers(s, {{":path", "/"}}, true), coproxy::Action::Continue);
    Pairs headers = host().stream(s).maps[0];
    emu().end_stream(s);
    return headers;
  }
  const GrpcCallout& watch() { return host().grpc_callouts().back(); }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(GrpcStreamTest, "grpc_stream");

TEST_P(GrpcStreamTest, UpdatesFromTheStreamReachTheRequestsThatFollow) {
  ASSERT_EQ(host().grpc_callouts().size(), 1u);
  EXPECT_TRUE(watch().is_stream);
  EXPECT_EQ(watch().upstream, "config");
  EXPECT_EQ(watch().service, "config.Config");
  EXPECT_EQ(watch().method, "Watch");
  EXPECT_EQ(watch().messages, std::vector<std::string>{"headers"});
  EXPECT_EQ(request(), (Pairs{{":path", "/"}}));  // no config yet

  emu().grpc_initial_metadata(watch().token, {{"x-server", "cfg1"}});  // not an update
  emu().grpc_message(watch().token, "x-version=1");
  EXPECT_EQ(request(), (Pairs{{":path", "/"}, {"x-version", "1"}}));
  emu().grpc_message(watch().token, "x-version=2");
  EXPECT_EQ(request(), (Pairs{{":path", "/"}, {"x-version", "2"}}));
  EXPECT_EQ(host().metric_value("grpc_stream_updates_total"), 2u);
}

TEST_P(GrpcStreamTest, ABadUpdateIsIgnored) {
  emu().grpc_message(watch().token, "x-version=1");
  emu().grpc_message(watch().token, "garbage");
  EXPECT_EQ(last_log_message(), "grpc_stream: ignored the update 'garbage'");
  EXPECT_EQ(request(), (Pairs{{":path", "/"}, {"x-version", "1"}}));
  EXPECT_EQ(host().metric_value("grpc_stream_updates_total"), 1u);
}

TEST_P(GrpcStreamTest, AClosedStreamReconnectsAfterTheDelay) {
  const uint32_t first = watch().token;
  emu().grpc_message(first, "x-version=1");
  emu().grpc_close(first, 14, "unavailable");
  EXPECT_EQ(last_log_message(),
            "grpc_stream: config stream closed with UNAVAILABLE, reconnecting");
  EXPECT_EQ(host().open_grpc_streams(), 0u);  // the SDK closed its side: the host freed it
  EXPECT_EQ(request(), (Pairs{{":path", "/"}, {"x-version", "1"}}));  // kept meanwhile
  emu().advance(499);
  EXPECT_EQ(host().grpc_callouts().size(), 1u);
  emu().advance(1);
  ASSERT_EQ(host().grpc_callouts().size(), 2u);
  EXPECT_NE(watch().token, first);
  EXPECT_EQ(watch().method, "Watch");
  EXPECT_EQ(watch().messages, std::vector<std::string>{"headers"});
  EXPECT_EQ(host().metric_value("grpc_stream_reconnects_total"), 1u);
  emu().grpc_message(watch().token, "x-version=3");
  EXPECT_EQ(request(), (Pairs{{":path", "/"}, {"x-version", "3"}}));
  emu().grpc_close(watch().token, 0);  // even a clean close: the config must keep coming
  emu().advance(500);
  EXPECT_EQ(host().grpc_callouts().size(), 3u);
  EXPECT_EQ(host().open_grpc_streams(), 1u);
}

TEST_P(GrpcStreamTest, StoppingThePluginCancelsTheStream) {
  const uint32_t token = watch().token;
  EXPECT_TRUE(emu().stop_plugin(root_));
  EXPECT_TRUE(host().find_grpc(token)->cancelled);
  emu().advance(5000);
  EXPECT_EQ(host().grpc_callouts().size(), 1u);
  EXPECT_EQ(host().open_grpc_streams(), 0u);
}

TEST_P(GrpcStreamTest, TheCanaryVmOpensNoStream) {
  reset_emulator();
  root_ = emu().start_plugin(R"({"reconnect_delay": 500})");  // in the canary VM, then live
  EXPECT_TRUE(host().grpc_callouts().empty());
  emu().advance(1);
  ASSERT_EQ(host().grpc_callouts().size(), 1u);
  EXPECT_FALSE(host().grpc_callouts()[0].canary);
}

TEST_P(GrpcStreamTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"reconnect_delay": "later"})",
       "invalid plugin configuration: $.reconnect_delay: expected a number of milliseconds or a "
       "duration such as \"250ms\", \"1.5s\", \"2m\", got the string \"later\""},
      {R"({"reconnect_delay": 2.5})",
       "invalid plugin configuration: $.reconnect_delay: expected a whole number of "
       "milliseconds, got the number 2.5"},
      {R"({"reconnect": "1s"})",
       "invalid plugin configuration: $.reconnect: unknown field (known: reconnect_delay)"},
      {"500", "invalid plugin configuration: $: expected an object, got the number 500"},
      {"{'reconnect_delay': 500}",
       "invalid plugin configuration: $: not JSON: line 1, column 2: Missing a name for object "
       "member."},
  });
  emu().advance(1000);
  EXPECT_TRUE(host().grpc_callouts().empty());
}

}  // namespace
