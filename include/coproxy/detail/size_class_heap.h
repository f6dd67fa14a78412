// SizeClassHeap: the plugin's malloc in a .wasm. wasi-libc's dlmalloc is 8 KB of a 18 KB
// filter; this heap is a few hundred bytes. Blocks come in size classes (16-byte steps up to
// 128 bytes, then four classes per power of two, so at most 25% is lost to rounding), freed
// blocks go on a free list of their class and are reused; new blocks are cut from the top of
// the heap, which grows by whole pages. Blocks are never split or merged: a plugin's working
// set is a few recurring sizes (contexts, frames, header values, bodies), which this serves in
// O(1) without fragmentation bookkeeping.
//
// Block layout: an 8-byte header (the class) right before a 16-byte aligned payload.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coproxy::detail {

class SizeClassHeap {
 public:
  // Grows the memory the heap cuts blocks from by at least `min_bytes`: returns the start of
  // the new memory and stores its size in `granted`, or returns nullptr when memory is
  // exhausted. New memory usually follows the old; when it does not, the heap moves on.
  using GrowFn = void* (*)(size_t min_bytes, size_t* granted);

  static constexpr size_t kAlignment = 16;
  static constexpr size_t kHeaderSize = 8;
  static constexpr uint32_t kClassCount = 8 + 4 * 24;

  // `start`..`end` is memory already available (may be empty); `grow` adds more.
  SizeClassHeap(char* start, char* end, GrowFn grow);
  // Starts with no memory: the first allocation asks `grow`. Constant, so that a heap can be
  // a constinit global that malloc reaches without a first-use test on every call.
  constexpr explicit SizeClassHeap(GrowFn grow) : top_(nullptr), end_(nullptr), grow_(grow) {}

  void* allocate(size_t size);
  void* allocate_aligned(size_t alignment, size_t size);
  void free(void* payload);
  void* reallocate(void* payload, size_t size);
  // The usable size of an allocated block.
  size_t usable_size(const void* payload) const;

  // The class of a block with room for `payload_size` bytes, and that class's payload size.
  static uint32_t class_of(size_t payload_size);
  static size_t class_payload_size(uint32_t size_class);

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  // Out of line: it keeps a stack slot for grow's answer, which the free-list path should
  // not pay for.
  [[gnu::noinline]] char* cut(size_t block_size);

  char* top_;
  char* end_;
  GrowFn grow_;
  FreeBlock* free_lists_[kClassCount] = {};
};

}  // namespace coproxy::detail
