// Guest memory exhaustion on the real .wasm: a coroutine frame that cannot be allocated ends
// in a trap, after a critical log line that says so (coproxy::detail::out_of_memory), never
// in a write through a null pointer (address 0 is valid wasm memory: nothing would catch it).
#include <string>

#include "coproxy/detail/recycling_pool.h"
#include "gtest/gtest.h"
#include "testing/emulator.h"
#include "testing/wasm_plugin.h"

namespace coproxy::testing {
namespace {

TEST(OutOfMemoryTest, AFrameThatCannotBeAllocatedTrapsWithAClearMessage) {
  Emulator emu(load_wasm("oom_probe"));
  ASSERT_TRUE(emu.loaded());
  const uint32_t root = emu.start_plugin("exhaust");
  ASSERT_NE(root, 0u);
  const uint32_t stream = emu.open_stream(root);  // the context takes all memory left
  EXPECT_FALSE(emu.failed());
  emu.send_request_headers(stream, {{":path", "/"}});
  ASSERT_TRUE(emu.failed());
  ASSERT_FALSE(emu.host().logs().empty());
  const LogEntry& last = emu.host().logs().back();
  EXPECT_EQ(last.level, LogLevel::Critical);
  EXPECT_EQ(last.message, coproxy::detail::kOutOfMemory);
}

TEST(OutOfMemoryTest, WithMemoryLeftTheSamePluginRuns) {
  Emulator emu(load_wasm("oom_probe"));
  const uint32_t root = emu.start_plugin();
  const uint32_t stream = emu.open_stream(root);
  EXPECT_EQ(emu.send_request_headers(stream, {{":path", "/"}}), Action::Continue);
  EXPECT_FALSE(emu.failed());
}

}  // namespace
}  // namespace coproxy::testing
