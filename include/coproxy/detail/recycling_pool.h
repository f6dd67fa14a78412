// The recycling pool: fixed size classes with free lists, for objects made per stream or per
// call (contexts, pending calls, and coroutine frames later). After warm-up a steady flow of
// streams takes every block from a free list and never reaches malloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace coproxy::detail {

inline constexpr size_t kPoolGranule = 16;
inline constexpr size_t kPoolMaxBlock = 2048;  // larger requests go to malloc directly

// Never nullptr: when memory is exhausted it calls out_of_memory(). `size` must be given
// again to pool_deallocate.
void* pool_allocate(size_t size);
void pool_deallocate(void* block, size_t size);

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
  static void* operator new(size_t size) { return pool_allocate(size); }
  static void operator delete(void* block, size_t size) { pool_deallocate(block, size); }
};

}  // namespace coproxy::detail
