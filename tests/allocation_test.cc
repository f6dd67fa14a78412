// Heap allocations per request, natively: a request whose callbacks are coroutines that never
// suspend, or whose stream coroutine never suspends, allocates nothing after warm-up (contexts
// and frames come from the recycling pool).
// A suspending request is measured too, and printed, for comparison.
#include <cstdio>
#include <vector>

#include "gtest/gtest.h"
#include "testing/emulator.h"
#include "testing/native_plugin.h"

namespace coproxy::testing {
namespace {

enum class Awaits : uint8_t { Nothing, OneCallout, NestedCombinator };

// One request through a coroutine filter: coro_add_header awaits a callout when told to
// (x-callout), coro_nested always awaits its two; every callout made is answered.
void one_request(Emulator& emu, uint32_t root, Awaits awaits) {
  const uint32_t stream = emu.open_stream(root);
  Pairs headers = {{":path", "/"}};
  if (awaits == Awaits::OneCallout) headers.emplace_back("x-callout", "1");
  const size_t made = emu.host().http_callouts().size();
  emu.send_request_headers(stream, std::move(headers), true);
  const std::vector<HttpCallout> calls = emu.host().http_callouts();
  for (size_t i = made; i < calls.size(); ++i) {
    emu.answer_http_call(calls[i].token, {{":status", "200"}});
  }
  emu.send_response_headers(stream, {{":status", "200"}}, true);
  emu.end_stream(stream);
}

uint64_t allocations_per_request(Emulator& emu, uint32_t root, Awaits awaits, int requests) {
  for (int i = 0; i < 100; ++i) one_request(emu, root, awaits);  // warm-up
  const uint64_t before = plugin_allocations().total();
  for (int i = 0; i < requests; ++i) one_request(emu, root, awaits);
  return plugin_allocations().total() - before;
}

TEST(Allocations, ANonSuspendingCoroutineRequestAllocatesNothingAfterWarmUp) {
  Emulator emu(load_native("coro_add_header"));
  ASSERT_TRUE(emu.loaded());
  const uint32_t root = emu.start_plugin();
  EXPECT_EQ(allocations_per_request(emu, root, Awaits::Nothing, 1000), 0u);
  // The counter counts: the first requests did allocate (contexts and frames, until the pool
  // had them).
  Emulator fresh(load_native("coro_add_header"));
  detail::pool_release_cached();
  const uint64_t before = plugin_allocations().total();
  one_request(fresh, fresh.start_plugin(), Awaits::Nothing);
  EXPECT_GT(plugin_allocations().total(), before);
}

TEST(Allocations, AStreamCoroutineThatNeverSuspendsAllocatesNothingAfterWarmUp) {
  Emulator emu(load_native("linear_add_header"));
  ASSERT_TRUE(emu.loaded());
  const uint32_t root = emu.start_plugin();
  EXPECT_EQ(allocations_per_request(emu, root, Awaits::Nothing, 1000), 0u);
  // Each phase was held and let go in its own callback: nothing was continued later.
  const uint32_t stream = emu.open_stream(root);
  emu.send_request_headers(stream, {{":path", "/"}}, true);
  emu.send_response_headers(stream, {{":status", "200"}}, true);
  EXPECT_TRUE(emu.host().stream(stream).continued.empty());
  EXPECT_EQ(emu.host().stream(stream).maps[2].back().first, "x-hello");
}

TEST(Allocations, ASuspendingRequestAllocatesOnlyTheAnswerItKeeps) {
  Emulator emu(load_native("coro_add_header"));
  const uint32_t root = emu.start_plugin();
  const uint64_t allocations = allocations_per_request(emu, root, Awaits::OneCallout, 1000);
  std::printf("heap allocations per request that awaits one callout: %.2f\n",
              static_cast<double>(allocations) / 1000);
  // One value the host hands in through proxy_on_memory_allocate: the x-callout header the
  // filter reads. The reply is read lazily and the filter reads nothing of it; frames, the
  // context and the waiter entry come from the pool.
  EXPECT_EQ(allocations, 1u * 1000);
}

TEST(Allocations, ANestedCombinatorAllocatesNothingOfItsOwn) {
  Emulator emu(load_native("coro_nested"));
  const uint32_t root = emu.start_plugin();
  const uint64_t allocations = allocations_per_request(emu, root, Awaits::NestedCombinator, 1000);
  std::printf("heap allocations per request that awaits with_timeout(when_all(2 callouts)): %.2f\n",
              static_cast<double>(allocations) / 1000);
  // Only what the host hands in: the first reply's header map, read whole when its callback
  // returns because when_all keeps the reply until the second answer (which the task has
  // dropped by the end of its own callback: nothing read). The combinators' frames, the timer
  // and the waiter entries come from the pool.
  EXPECT_EQ(allocations, 1u * 1000);
}

}  // namespace
}  // namespace coproxy::testing
