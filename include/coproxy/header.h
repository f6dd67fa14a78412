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

// A header list's Proxy-Wasm wire form (map_codec.h), made when the plugin is compiled
// (coproxy::encoded<list>, encoded_headers.h).
struct EncodedHeaderBytes {
  const char* data;
  size_t size;
  bool has_request_pseudo_headers;  // :method, :path and :authority, as a callout needs
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

  // A list that comes with its wire form (coproxy::encoded<list>): the host gets those bytes.
  constexpr HeaderSpan(const Header* data, size_t size, const EncodedHeaderBytes* encoded)
      : data_(data), size_(size), encoded_(encoded) {}

  constexpr const Header* begin() const { return data_; }
  constexpr const Header* end() const { return data_ + size_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  // The wire form encoded when the plugin was compiled, or nullptr.
  constexpr const EncodedHeaderBytes* encoded() const { return encoded_; }

 private:
  const Header* data_ = nullptr;
  size_t size_ = 0;
  const EncodedHeaderBytes* encoded_ = nullptr;
};

}  // namespace coproxy
