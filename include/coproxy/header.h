// Header: one name/value pair, and HeaderSpan: a borrowed list of them for host-API arguments.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

namespace coproxy {

struct Header {
  std::string_view name;
  std::string_view value;
};

// A borrowed, read-only list of headers. Built from a braced list at the call site
// (`{{":method", "GET"}, {":path", "/"}}`), a std::vector or a std::span; it must not outlive
// what it was built from (the braced list lives until the end of the full expression).
class HeaderSpan {
 public:
  constexpr HeaderSpan() = default;
  constexpr HeaderSpan(std::initializer_list<Header> list)  // NOLINT: braced lists by design
      : data_(list.begin()), size_(list.size()) {}
  constexpr HeaderSpan(std::span<const Header> span)  // NOLINT
      : data_(span.data()), size_(span.size()) {}
  HeaderSpan(const std::vector<Header>& headers)  // NOLINT
      : data_(headers.data()), size_(headers.size()) {}

  constexpr const Header* begin() const { return data_; }
  constexpr const Header* end() const { return data_ + size_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }

 private:
  const Header* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace coproxy
