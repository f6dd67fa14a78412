// A local reply in every HTTP style (tests/coro/local_reply_probe), on both backends: Envoy
// runs the plugin's own reply through the stream's response callbacks, so a filter stamps
// its 403 exactly as it stamps an upstream's answer, whichever style it is written in.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace coproxy::testing {
namespace {

struct Style {
  PluginUnderTest plugin;
  std::string root_id;
};

class LocalReplyTest : public ::testing::TestWithParam<Style> {};

std::vector<Style> every_style() {
  std::vector<Style> all;
  for (const char* root_id : {"callbacks", "tasks", "stream"}) {
    for (const PluginUnderTest& param : both_backends("local_reply_probe")) {
      all.push_back({param, root_id});
    }
  }
  return all;
}
INSTANTIATE_TEST_SUITE_P(Styles, LocalReplyTest, ::testing::ValuesIn(every_style()),
                         [](const ::testing::TestParamInfo<Style>& info) {
                           return info.param.root_id + "_" +
                                  (info.param.plugin.backend == Backend::Native ? "native"
                                                                                : "wasm");
                         });

TEST_P(LocalReplyTest, TheReplyIsStampedLikeAnUpstreamResponse) {
  Emulator emu(loader_for(GetParam().plugin));
  const uint32_t root = emu.start_plugin("", GetParam().root_id);
  const Pairs stamp = {{"x-stamp", GetParam().root_id}, {"x-request-id", "r1"}};

  const uint32_t denied = emu.open_stream(root);
  EXPECT_EQ(emu.send_request_headers(denied, {{"x-deny", "1"}, {"x-request-id", "r1"}}, true),
            Action::Pause);
  ASSERT_TRUE(emu.host().stream(denied).local_response.has_value());
  Pairs reply = {{":status", "403"}};
  reply.insert(reply.end(), stamp.begin(), stamp.end());
  EXPECT_EQ(emu.host().stream(denied).maps[2], reply);
  EXPECT_EQ(emu.host().stream(denied).response.forwarded, "denied");
  EXPECT_TRUE(emu.host().stream(denied).continued.empty());
  emu.end_stream(denied);

  const uint32_t allowed = emu.open_stream(root);
  EXPECT_EQ(emu.send_request_headers(allowed, {{"x-request-id", "r1"}}, true), Action::Continue);
  emu.send_response_headers(allowed, {{":status", "200"}});
  Pairs upstream = {{":status", "200"}};
  upstream.insert(upstream.end(), stamp.begin(), stamp.end());
  EXPECT_EQ(emu.host().stream(allowed).maps[2], upstream);
  emu.end_stream(allowed);

  EXPECT_TRUE(emu.host().illegal_calls().empty()) << describe(emu.host().illegal_calls());
  EXPECT_FALSE(emu.failed());
}

}  // namespace
}  // namespace coproxy::testing
