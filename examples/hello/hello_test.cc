// hello, natively through the emulator: it logs on start and stamps responses.
#include "gtest/gtest.h"
#include "testing/emulator.h"
#include "testing/native_plugin.h"

namespace {

using coproxy::Action;
using coproxy::LogLevel;
using coproxy::testing::Emulator;
using coproxy::testing::Host;
using coproxy::testing::NativePlugin;
using coproxy::testing::Pairs;

std::unique_ptr<coproxy::testing::PluginBackend> load_hello(Host& host) {
  return NativePlugin::load(host, "hello");
}

TEST(Hello, LogsOnStartAndAddsAResponseHeader) {
  Emulator emu(load_hello);
  ASSERT_TRUE(emu.loaded());
  const uint32_t root = emu.start_plugin("", "my_root");
  ASSERT_NE(root, 0u);
  ASSERT_EQ(emu.host().logs().size(), 1u);
  EXPECT_EQ(emu.host().logs()[0].level, LogLevel::Info);
  EXPECT_EQ(emu.host().logs()[0].message, "hello: plugin started, root id 'my_root'");

  const uint32_t stream = emu.open_stream(root);
  EXPECT_EQ(emu.send_request_headers(stream, {{":path", "/"}}, true), Action::Continue);
  EXPECT_EQ(emu.send_response_headers(stream, {{":status", "200"}}), Action::Continue);
  EXPECT_EQ(emu.host().stream(stream).maps[2],
            (Pairs{{":status", "200"}, {"x-hello", "coproxy"}}));
  // The request is untouched.
  EXPECT_EQ(emu.host().stream(stream).maps[0], (Pairs{{":path", "/"}}));
  emu.end_stream(stream);
}

}  // namespace
