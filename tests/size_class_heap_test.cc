#include "coproxy/detail/size_class_heap.h"

#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace coproxy::detail {
namespace {

// A fake linear memory: 64 MiB grown in 64 KiB pages, like memory.grow.
constexpr size_t kPage = 65536;
std::vector<char>& arena() {
  static std::vector<char> memory(64 << 20);
  return memory;
}
size_t arena_used = 0;

void* grow(size_t min_bytes, size_t* granted) {
  const size_t bytes = (min_bytes + kPage - 1) / kPage * kPage;
  if (arena_used + bytes > arena().size()) return nullptr;
  void* start = arena().data() + arena_used;
  arena_used += bytes;
  *granted = bytes;
  return start;
}

class SizeClassHeapTest : public ::testing::Test {
 protected:
  void SetUp() override { arena_used = 0; }
  SizeClassHeap heap_{arena().data(), arena().data(), grow};
};

TEST_F(SizeClassHeapTest, ClassesCoverTheirSizesWithinAQuarter) {
  for (size_t size = 0; size < (1u << 20); size = size < 64 ? size + 1 : size * 9 / 8) {
    const uint32_t c = SizeClassHeap::class_of(size);
    const size_t payload = SizeClassHeap::class_payload_size(c);
    EXPECT_GE(payload, size);
    if (size > 256) EXPECT_LE(payload, size + size / 4 + 16) << size;
    if (c > 0) EXPECT_LT(SizeClassHeap::class_payload_size(c - 1), size) << size;
  }
}

TEST_F(SizeClassHeapTest, PayloadsAreAlignedAndReused) {
  void* a = heap_.allocate(24);
  void* b = heap_.allocate(24);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 16, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 16, 0u);
  heap_.free(a);
  EXPECT_EQ(heap_.allocate(20), a);  // same class: the freed block comes back
}

TEST_F(SizeClassHeapTest, AHeapMadeWithoutMemoryTakesItOnFirstAllocation) {
  constinit static SizeClassHeap empty(grow);  // as the .wasm's malloc keeps it
  void* a = empty.allocate(100);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 16, 0u);
  EXPECT_GE(static_cast<char*>(a), arena().data());
  EXPECT_LT(static_cast<char*>(a) + 100, arena().data() + arena_used);
  std::memset(a, 1, 100);
  empty.free(a);
  EXPECT_EQ(empty.allocate(90), a);
}

TEST_F(SizeClassHeapTest, OverAlignedAllocationsFreeCorrectly) {
  for (size_t align : {32u, 64u, 4096u}) {
    void* p = heap_.allocate_aligned(align, 100);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % align, 0u);
    EXPECT_GE(heap_.usable_size(p), 100u);
    std::memset(p, 0xab, 100);
    heap_.free(p);
  }
  EXPECT_EQ(heap_.allocate_aligned(48, 8), nullptr);  // not a power of two
}

TEST_F(SizeClassHeapTest, ReallocateKeepsContents) {
  char* p = static_cast<char*>(heap_.allocate(10));
  std::memcpy(p, "0123456789", 10);
  p = static_cast<char*>(heap_.reallocate(p, 5000));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(std::memcmp(p, "0123456789", 10), 0);
}

TEST_F(SizeClassHeapTest, ExhaustionIsNullNotACrash) {
  EXPECT_EQ(heap_.allocate(size_t{1} << 31), nullptr);
  EXPECT_EQ(heap_.allocate(100 << 20), nullptr);  // larger than the arena
  EXPECT_NE(heap_.allocate(100), nullptr);        // and the heap still works
}

// Random allocate/free with a pattern written into every block: blocks never overlap.
TEST_F(SizeClassHeapTest, BlocksNeverOverlap) {
  std::mt19937 random(1);
  std::map<char*, std::pair<size_t, char>> live;
  for (int i = 0; i < 50000; ++i) {
    if (live.empty() || random() % 3 != 0) {
      const size_t size = random() % 4 == 0 ? random() % 20000 : random() % 300;
      char* p = static_cast<char*>(heap_.allocate(size));
      ASSERT_NE(p, nullptr);
      const char mark = static_cast<char>(random());
      std::memset(p, mark, size);
      live[p] = {size, mark};
    } else {
      auto it = std::next(live.begin(), static_cast<long>(random() % live.size()));
      for (size_t k = 0; k < it->second.first; ++k) ASSERT_EQ(it->first[k], it->second.second);
      heap_.free(it->first);
      live.erase(it);
    }
  }
  for (auto& [p, info] : live) {
    for (size_t k = 0; k < info.first; ++k) ASSERT_EQ(p[k], info.second);
  }
}

}  // namespace
}  // namespace coproxy::detail
