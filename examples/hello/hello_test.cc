// hello, on both backends (natively and its real .wasm): it logs on start and stamps
// responses.
#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::LogLevel;
using coproxy::testing::Pairs;

class HelloTest : public coproxy::testing::PluginTest {};
COPROXY_PLUGIN_TEST_SUITE(HelloTest, "hello");

TEST_P(HelloTest, LogsOnStartAndAddsAResponseHeader) {
  const uint32_t root = emu().start_plugin("", "my_root");
  ASSERT_NE(root, 0u);
  ASSERT_EQ(host().logs().size(), 2u);  // Envoy's canary VM starts the plugin first
  for (const auto& line : host().logs()) {
    EXPECT_EQ(line.level, LogLevel::Info);
    EXPECT_EQ(line.message, "hello: plugin started, root id 'my_root'");
  }

  const uint32_t stream = emu().open_stream(root);
  EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}}, true), Action::Continue);
  EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}), Action::Continue);
  EXPECT_EQ(host().stream(stream).maps[2], (Pairs{{":status", "200"}, {"x-hello", "coproxy"}}));
  // The request is untouched.
  EXPECT_EQ(host().stream(stream).maps[0], (Pairs{{":path", "/"}}));
  emu().end_stream(stream);
}

TEST_P(HelloTest, ManyStreamsEachGetTheHeader) {
  const uint32_t root = emu().start_plugin();
  for (int i = 0; i < 100; ++i) {
    const uint32_t stream = emu().open_stream(root);
    EXPECT_EQ(emu().send_response_headers(stream, {{":status", "204"}}, true), Action::Continue);
    EXPECT_EQ(host().stream(stream).maps[2].back(), (std::pair<std::string, std::string>{"x-hello", "coproxy"}));
    emu().end_stream(stream);
  }
}

}  // namespace
