// HostBytes: bytes the host handed to the plugin, owned and freed exactly once.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>

namespace coproxy {

// Owns a buffer the host allocated through proxy_on_memory_allocate (or nothing). Move-only;
// the destructor frees it. Reads as a std::string_view.
class HostBytes {
 public:
  HostBytes() = default;
  // Takes ownership of `data` (may be nullptr when size is 0).
  HostBytes(const char* data, size_t size) : data_(data), size_(data ? size : 0) {}
  HostBytes(HostBytes&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
  }
  HostBytes& operator=(HostBytes&& other) noexcept {
    if (this != &other) {
      release();
      data_ = other.data_;
      size_ = other.size_;
      other.data_ = nullptr;
      other.size_ = 0;
    }
    return *this;
  }
  HostBytes(const HostBytes&) = delete;
  HostBytes& operator=(const HostBytes&) = delete;
  // Straight to free: through release() a destruction costs two calls.
  ~HostBytes() { std::free(const_cast<char*>(data_)); }

  const char* data() const { return data_; }
  // The bytes are the plugin's own: it may rewrite them in place (say a body it then sets
  // back) instead of copying them.
  char* mutable_data() { return const_cast<char*>(data_); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_ ? data_ : "", size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: reads as a string_view
  std::string str() const { return std::string(view()); }

 private:
  void release();

  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace coproxy
