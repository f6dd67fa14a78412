#include "coproxy/detail/size_class_heap.h"

#include <cstring>

namespace coproxy::detail {
namespace {

// Header values above the class range mark an over-aligned payload: the header holds the
// distance back to the real block's payload instead (see allocate_aligned).
constexpr uint32_t kOffsetMark = 0x80000000u;
constexpr size_t kSmallStep = 16;
constexpr size_t kSmallLimit = 128;  // classes 0..7: 16, 32, ..., 128 bytes of block

uint32_t& header_of(const void* payload) {
  return *reinterpret_cast<uint32_t*>(static_cast<char*>(const_cast<void*>(payload)) -
                                      SizeClassHeap::kHeaderSize);
}

size_t class_block_size(uint32_t size_class) {
  if (size_class < 8) return (size_class + 1) * kSmallStep;
  const uint32_t step = size_class - 8;  // 4 classes per power of two from 128 up
  const size_t base = kSmallLimit << (step / 4);
  return base + (base / 4) * (step % 4 + 1);
}

// Blocks start 8 bytes before a 16-byte boundary so that payloads are 16-byte aligned.
char* block_start_at(char* memory) {
  const uintptr_t payload =
      (reinterpret_cast<uintptr_t>(memory) + SizeClassHeap::kHeaderSize + SizeClassHeap::kAlignment - 1) &
      ~(uintptr_t{SizeClassHeap::kAlignment} - 1);
  return reinterpret_cast<char*>(payload - SizeClassHeap::kHeaderSize);
}

}  // namespace

SizeClassHeap::SizeClassHeap(char* start, char* end, GrowFn grow)
    : top_(block_start_at(start)), end_(end), grow_(grow) {
  // Too little memory for even the alignment: start empty; the first grow realigns.
  if (top_ > end_) end_ = top_;
}

uint32_t SizeClassHeap::class_of(size_t payload_size) {
  const size_t block = payload_size + kHeaderSize;
  if (block <= kSmallLimit) return block <= kSmallStep ? 0 : static_cast<uint32_t>((block - 1) / kSmallStep);
  // Find the power of two `base` with base < block <= 2 * base, then the quarter step.
  uint32_t doubling = 0;
  size_t base = kSmallLimit;
  while (block > base * 2) {
    base *= 2;
    ++doubling;
  }
  const size_t quarter = base / 4;
  const uint32_t step = static_cast<uint32_t>((block - base + quarter - 1) / quarter) - 1;
  return 8 + doubling * 4 + step;
}

size_t SizeClassHeap::class_payload_size(uint32_t size_class) {
  return class_block_size(size_class) - kHeaderSize;
}

char* SizeClassHeap::cut(size_t block_size) {
  if (static_cast<size_t>(end_ - top_) < block_size) {
    // Asks for slack to realign in case the new memory does not follow the old.
    size_t granted = 0;
    char* more = static_cast<char*>(grow_(block_size + kAlignment, &granted));
    if (more == nullptr) return nullptr;
    if (more != end_) top_ = block_start_at(more);
    end_ = more + granted;
  }
  char* block = top_;
  top_ += block_size;
  return block;
}

void* SizeClassHeap::allocate(size_t size) {
  if (size > (size_t{1} << 30)) return nullptr;
  const uint32_t size_class = class_of(size);
  if (size_class >= kClassCount) return nullptr;
  if (FreeBlock* block = free_lists_[size_class]) {
    free_lists_[size_class] = block->next;
    return block;
  }
  char* block = cut(class_block_size(size_class));
  if (block == nullptr) return nullptr;
  char* payload = block + kHeaderSize;
  header_of(payload) = size_class;
  return payload;
}

void* SizeClassHeap::allocate_aligned(size_t alignment, size_t size) {
  if (alignment <= kAlignment) return allocate(size);
  if ((alignment & (alignment - 1)) != 0 || size > (size_t{1} << 30)) return nullptr;
  // Room to move the payload up to the alignment, keeping a header in front of it.
  char* raw = static_cast<char*>(allocate(size + alignment));
  if (raw == nullptr) return nullptr;
  uintptr_t aligned = (reinterpret_cast<uintptr_t>(raw) + alignment - 1) & ~(alignment - 1);
  if (aligned == reinterpret_cast<uintptr_t>(raw)) return raw;
  char* payload = reinterpret_cast<char*>(aligned);
  header_of(payload) = kOffsetMark | static_cast<uint32_t>(payload - raw);
  return payload;
}

void SizeClassHeap::free(void* payload) {
  if (payload == nullptr) return;
  uint32_t header = header_of(payload);
  if (header & kOffsetMark) {
    payload = static_cast<char*>(payload) - (header & ~kOffsetMark);
    header = header_of(payload);
  }
  // The header stays in place (the class is needed again on reuse); the list link lives in
  // the payload.
  auto* block = static_cast<FreeBlock*>(payload);
  block->next = free_lists_[header];
  free_lists_[header] = block;
}

size_t SizeClassHeap::usable_size(const void* payload) const {
  const uint32_t header = header_of(payload);
  if (header & kOffsetMark) {
    const char* raw = static_cast<const char*>(payload) - (header & ~kOffsetMark);
    return class_payload_size(header_of(raw)) - (header & ~kOffsetMark);
  }
  return class_payload_size(header);
}

void* SizeClassHeap::reallocate(void* payload, size_t size) {
  if (payload == nullptr) return allocate(size);
  const size_t usable = usable_size(payload);
  if (size <= usable) return payload;
  void* bigger = allocate(size);
  if (bigger == nullptr) return nullptr;
  std::memcpy(bigger, payload, usable);
  free(payload);
  return bigger;
}

}  // namespace coproxy::detail
