// Bytes built for one host call: on the stack when small, on the heap otherwise, so typical
// header maps and property paths allocate nothing.
#pragma once

#include <cstddef>
#include <cstdlib>

namespace coproxy::internal {

class ScratchBytes {
 public:
  ScratchBytes() = default;  // no bytes yet: allocate() gives them
  ScratchBytes(const ScratchBytes&) = delete;
  ScratchBytes& operator=(const ScratchBytes&) = delete;
  // Tested on the size, not the pointer: clang turns `if (p) free(p)` into a call to
  // free(nullptr), which every host call building no bytes would pay.
  [[gnu::always_inline]] ~ScratchBytes() {
    if (on_heap()) std::free(heap_);
  }

  // Room for `size` bytes, once per ScratchBytes; false (and size() 0) when a large size
  // could not be allocated.
  bool allocate(size_t size) {
    size_ = size;
    return !on_heap() || allocate_on_heap();
  }

  char* data() { return on_heap() ? heap_ : inline_; }
  size_t size() const { return size_; }

 private:
  bool on_heap() const { return size_ > sizeof(inline_); }
  bool allocate_on_heap() {
    heap_ = static_cast<char*>(std::malloc(size_));
    if (heap_ != nullptr) return true;
    size_ = 0;
    return false;
  }

  size_t size_ = 0;
  char* heap_;  // when on_heap()
  char inline_[256];
};

}  // namespace coproxy::internal
