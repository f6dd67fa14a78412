// Header: one name/value pair, and HeaderSpan: a borrowed list of them for host-API arguments.
#pragma once

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <ranges>
#include <string_view>

namespace coproxy {

struct Header {
  std::string_view name;
  std::string_view value;
};

// A borrowed, read-only list of headers, taken everywhere the SDK takes a header list
// (callouts, local replies, gRPC metadata, set_pairs). Built from a braced list at the call
// site (`{{":method", "GET"}, {":path", "/"}}`), or from any contiguous range of Header: a C
// array, std::array, std::vector, a std::span of any extent. It must not outlive what it was
// built from (a braced list lives until the end of the full expression).
class HeaderSpan {
 public:
  constexpr HeaderSpan() = default;
  constexpr HeaderSpan(std::initializer_list<Header> list)  // NOLINT: braced lists by design
      : data_(list.begin()), size_(list.size()) {}
  template <class Range>
    requires std::ranges::contiguous_range<const Range> &&
             std::ranges::sized_range<const Range> &&
             std::same_as<std::ranges::range_value_t<const Range>, Header>
  constexpr HeaderSpan(const Range& headers)  // NOLINT: any list of headers converts
      : data_(std::ranges::data(headers)), size_(std::ranges::size(headers)) {}

  constexpr const Header* begin() const { return data_; }
  constexpr const Header* end() const { return data_ + size_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }

 private:
  const Header* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace coproxy
