// The recycling pool: fixed size classes with free lists, for objects made per stream or per
// call (contexts, pending calls, and coroutine frames later). After warm-up a steady flow of
// streams takes every block from a free list and never reaches malloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>

// Under AddressSanitizer a cached block is poisoned past its free-list link, so a use after
// free is still caught: every block then goes through the out-of-line path that poisons it.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COPROXY_POOL_CHECKED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(COPROXY_POOL_CHECKED)
#define COPROXY_POOL_CHECKED 1
#endif
#if !defined(COPROXY_POOL_CHECKED)
#define COPROXY_POOL_CHECKED 0
#endif

namespace coproxy::detail {

inline constexpr size_t kPoolGranule = 16;
inline constexpr size_t kPoolMaxBlock = 2048;  // larger requests go to malloc directly

// The free lists, one per size class. A VM is single-threaded, so no locking; the state is
// constant-initialized, so it is ready before any static constructor runs.
struct PoolFreeBlock {
  PoolFreeBlock* next;
};
inline constexpr size_t kPoolClassCount = kPoolMaxBlock / kPoolGranule;
struct PoolFreeLists {
  PoolFreeBlock* heads[kPoolClassCount] = {};
  uint64_t reuses = 0;
};
extern constinit PoolFreeLists pool_free_lists;
constexpr size_t pool_class_of(size_t size) { return size == 0 ? 0 : (size - 1) / kPoolGranule; }

// Out of line: a block from malloc, or any block under AddressSanitizer (which poisons
// cached blocks); giving a block back that way.
void* pool_allocate_slow(size_t size);
void pool_deallocate_slow(void* block, size_t size);

// Never nullptr: when memory is exhausted it calls out_of_memory(). `size` must be given
// again to pool_deallocate. Inline: in steady state a block comes from, and goes back to, a
// free list, a few instructions and no call.
[[gnu::always_inline]] inline void* pool_allocate(size_t size) {
#if !COPROXY_POOL_CHECKED
  if (size <= kPoolMaxBlock) {
    PoolFreeBlock*& head = pool_free_lists.heads[pool_class_of(size)];
    if (PoolFreeBlock* block = head) {
      head = block->next;
      ++pool_free_lists.reuses;
      return block;
    }
  }
#endif
  return pool_allocate_slow(size);
}

[[gnu::always_inline]] inline void pool_deallocate(void* block, size_t size) {
#if !COPROXY_POOL_CHECKED
  if (block != nullptr && size <= kPoolMaxBlock) {
    PoolFreeBlock*& head = pool_free_lists.heads[pool_class_of(size)];
    head = new (block) PoolFreeBlock{head};
    return;
  }
#endif
  pool_deallocate_slow(block, size);
}

// The guest is out of memory where no error can be returned (a context, a coroutine frame, a
// pending call, operator new): logs kOutOfMemory at critical level, then traps. The host fails
// the VM (fail-open or fail-closed as configured) rather than the plugin writing through a
// null pointer, which wasm would not catch.
[[noreturn]] void out_of_memory();
inline constexpr std::string_view kOutOfMemory =
    "coproxy: out of memory: the module's memory cannot grow any more";

struct PoolStats {
  uint64_t heap_allocations = 0;  // blocks that had to come from malloc
  uint64_t reuses = 0;            // blocks served from a free list
};
PoolStats pool_stats();

// Gives every cached block back to malloc (tests; a VM that shrinks after a burst).
void pool_release_cached();

// Base for classes whose instances live in the pool: inherits a class operator new/delete.
struct PoolAllocated {
  [[gnu::always_inline]] static void* operator new(size_t size) { return pool_allocate(size); }
  [[gnu::always_inline]] static void operator delete(void* block, size_t size) {
    pool_deallocate(block, size);
  }
};

}  // namespace coproxy::detail
