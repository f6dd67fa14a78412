#include "coproxy/detail/recycling_pool.h"

#include <cstdlib>
#include <new>

// Under AddressSanitizer (COPROXY_POOL_CHECKED) every block comes here, and a cached block is
// poisoned past its free-list link, so a use after free is still caught (the link stays
// readable: LeakSanitizer must see the chain).
#if COPROXY_POOL_CHECKED
#include <sanitizer/asan_interface.h>
#define COPROXY_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define COPROXY_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define COPROXY_POISON(p, n) ((void)(p), (void)(n))
#define COPROXY_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace coproxy::detail {

constinit PoolFreeLists pool_free_lists;

namespace {

uint64_t heap_allocations = 0;

size_t block_size(size_t size) { return (pool_class_of(size) + 1) * kPoolGranule; }

}  // namespace

void* pool_allocate_slow(size_t size) {
  if (size > kPoolMaxBlock) {
    void* block = std::malloc(size);
    if (block == nullptr) out_of_memory();
    return block;
  }
  PoolFreeBlock*& head = pool_free_lists.heads[pool_class_of(size)];
  if (head != nullptr) {
    PoolFreeBlock* block = head;
    COPROXY_UNPOISON(block, block_size(size));
    head = block->next;
    ++pool_free_lists.reuses;
    return block;
  }
  ++heap_allocations;
  void* block = std::malloc(block_size(size));
  if (block == nullptr) out_of_memory();
  return block;
}

void pool_deallocate_slow(void* block, size_t size) {
  if (block == nullptr) return;
  if (size > kPoolMaxBlock) {
    std::free(block);
    return;
  }
  PoolFreeBlock*& head = pool_free_lists.heads[pool_class_of(size)];
  head = new (block) PoolFreeBlock{head};
  COPROXY_POISON(static_cast<char*>(block) + sizeof(PoolFreeBlock),
                 block_size(size) - sizeof(PoolFreeBlock));
}

PoolStats pool_stats() { return PoolStats{heap_allocations, pool_free_lists.reuses}; }

void pool_release_cached() {
  for (size_t size_class = 0; size_class < kPoolClassCount; ++size_class) {
    PoolFreeBlock*& head = pool_free_lists.heads[size_class];
    while (head != nullptr) {
      PoolFreeBlock* block = head;
      COPROXY_UNPOISON(block, (size_class + 1) * kPoolGranule);
      head = block->next;
      std::free(block);
    }
  }
}

}  // namespace coproxy::detail
