#include "coproxy/detail/recycling_pool.h"

#include <cstdlib>
#include <new>

// Under AddressSanitizer a cached block is poisoned past its free-list link, so a use after
// free is still caught (the link stays readable: LeakSanitizer must see the chain).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COPROXY_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define COPROXY_ASAN 1
#endif
#if defined(COPROXY_ASAN)
#include <sanitizer/asan_interface.h>
#define COPROXY_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define COPROXY_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define COPROXY_POISON(p, n) ((void)(p), (void)(n))
#define COPROXY_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace coproxy::detail {
namespace {

constexpr size_t kClassCount = kPoolMaxBlock / kPoolGranule;

struct FreeBlock {
  FreeBlock* next;
};

// One free list per size class. A VM is single-threaded, so no locking; the state is
// constant-initialized, so it is ready before any static constructor runs.
struct Pool {
  FreeBlock* free_lists[kClassCount] = {};
  PoolStats stats;
};
constinit Pool pool;

size_t class_of(size_t size) { return size == 0 ? 0 : (size - 1) / kPoolGranule; }

}  // namespace

void* pool_allocate(size_t size) {
  if (size > kPoolMaxBlock) {
    void* block = std::malloc(size);
    if (block == nullptr) out_of_memory();
    return block;
  }
  FreeBlock*& head = pool.free_lists[class_of(size)];
  if (head != nullptr) {
    FreeBlock* block = head;
    COPROXY_UNPOISON(block, (class_of(size) + 1) * kPoolGranule);
    head = block->next;
    ++pool.stats.reuses;
    return block;
  }
  ++pool.stats.heap_allocations;
  void* block = std::malloc((class_of(size) + 1) * kPoolGranule);
  if (block == nullptr) out_of_memory();
  return block;
}

void pool_deallocate(void* block, size_t size) {
  if (block == nullptr) return;
  if (size > kPoolMaxBlock) {
    std::free(block);
    return;
  }
  FreeBlock*& head = pool.free_lists[class_of(size)];
  head = new (block) FreeBlock{head};
  COPROXY_POISON(static_cast<char*>(block) + sizeof(FreeBlock),
                 (class_of(size) + 1) * kPoolGranule - sizeof(FreeBlock));
}

PoolStats pool_stats() { return pool.stats; }

void pool_release_cached() {
  for (size_t size_class = 0; size_class < kClassCount; ++size_class) {
    FreeBlock*& head = pool.free_lists[size_class];
    while (head != nullptr) {
      FreeBlock* block = head;
      COPROXY_UNPOISON(block, (size_class + 1) * kPoolGranule);
      head = block->next;
      std::free(block);
    }
  }
}

}  // namespace coproxy::detail
