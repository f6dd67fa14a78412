// Bytes built for one host call: on the stack when small, on the heap otherwise, so typical
// header maps and property paths allocate nothing.
#pragma once

#include <cstddef>
#include <cstdlib>

namespace coproxy::internal {

class ScratchBytes {
 public:
  explicit ScratchBytes(size_t size) : size_(size) {
    if (size_ > sizeof(inline_)) {
      heap_ = static_cast<char*>(std::malloc(size_));
      if (heap_ == nullptr) {
        size_ = 0;
        failed_ = true;
      }
    }
  }
  ScratchBytes(const ScratchBytes&) = delete;
  ScratchBytes& operator=(const ScratchBytes&) = delete;
  ~ScratchBytes() { std::free(heap_); }

  // False when a large size could not be allocated.
  bool ok() const { return !failed_; }
  char* data() { return heap_ ? heap_ : inline_; }
  size_t size() const { return size_; }

 private:
  size_t size_;
  char* heap_ = nullptr;
  bool failed_ = false;
  char inline_[256];
};

}  // namespace coproxy::internal
