// The recycling pool: blocks come back, and a steady flow of streams through a plugin stops
// reaching malloc after warm-up.
#include "coproxy/detail/recycling_pool.h"

#include "coproxy/coproxy.h"
#include "gtest/gtest.h"
#include "testing/emulator.h"
#include "testing/native_plugin.h"

namespace {

using coproxy::detail::pool_allocate;
using coproxy::detail::pool_deallocate;
using coproxy::detail::pool_stats;

TEST(RecyclingPool, ReusesFreedBlocksOfTheSameClass) {
  void* a = pool_allocate(40);
  pool_deallocate(a, 40);
  const auto before = pool_stats();
  void* b = pool_allocate(33);  // same 48-byte class
  EXPECT_EQ(a, b);
  EXPECT_EQ(pool_stats().reuses, before.reuses + 1);
  EXPECT_EQ(pool_stats().heap_allocations, before.heap_allocations);
  pool_deallocate(b, 33);
}

TEST(RecyclingPool, LargeBlocksBypassThePool) {
  const auto before = pool_stats();
  void* big = pool_allocate(coproxy::detail::kPoolMaxBlock + 1);
  ASSERT_NE(big, nullptr);
  pool_deallocate(big, coproxy::detail::kPoolMaxBlock + 1);
  EXPECT_EQ(pool_stats().heap_allocations, before.heap_allocations);
  EXPECT_EQ(pool_stats().reuses, before.reuses);
}

class Pass : public coproxy::HttpContext {
 public:
  coproxy::Action on_request_headers(size_t, bool) override {
    request_headers().add("x-seen", "1");
    return coproxy::Action::Continue;
  }
};

class PassPlugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Pass>();
  }
};

COPROXY_REGISTER_PLUGIN(pool_test_plugin, PassPlugin);

TEST(RecyclingPool, StreamContextsStopReachingMallocAfterWarmUp) {
  coproxy::testing::Emulator emu([](coproxy::testing::Host& host) {
    return coproxy::testing::NativePlugin::load(host, "pool_test_plugin");
  });
  const uint32_t root = emu.start_plugin();
  auto run_streams = [&](int n) {
    for (int i = 0; i < n; ++i) {
      const uint32_t stream = emu.open_stream(root);
      emu.send_request_headers(stream, {{":path", "/"}}, true);
      emu.end_stream(stream);
    }
  };
  run_streams(10);  // warm-up
  const auto before = pool_stats();
  run_streams(1000);
  EXPECT_EQ(pool_stats().heap_allocations, before.heap_allocations);
  EXPECT_GE(pool_stats().reuses, before.reuses + 1000);
}

}  // namespace
