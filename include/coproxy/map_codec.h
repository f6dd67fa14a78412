// The header-map wire format of Proxy-Wasm (little-endian):
//   u32 count, count x (u32 key_size, u32 value_size), then per pair: key, '\0', value, '\0'.
// Shared by the plugin side (decoding what the host returns, encoding what it sends) and by
// the host emulator. Decoding treats every length as hostile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "coproxy/header.h"
#include "coproxy/status.h"

namespace coproxy {

// A validated, non-owning view of an encoded header map. Only parse() makes one, so every
// length inside is known to lie within the bytes it views.
class MapView {
 public:
  // An empty map (also what an empty or absent buffer means).
  MapView() = default;

  // Checks the whole encoding: the count fits the buffer, every key and value lies inside
  // it, each is followed by '\0', and nothing trails the last value. ParseFailure otherwise.
  static Result<MapView> parse(std::string_view wire);

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Header;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Header;

    iterator() = default;
    Header operator*() const;
    iterator& operator++();
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.sizes_ == b.sizes_; }

   private:
    friend class MapView;
    iterator(const char* sizes, const char* bytes) : sizes_(sizes), bytes_(bytes) {}
    const char* sizes_ = nullptr;  // the (key_size, value_size) entry of this pair
    const char* bytes_ = nullptr;  // this pair's key
  };

  iterator begin() const;
  iterator end() const;
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }

  // The value of the first pair named `name` (names compare exactly, as the host stores them).
  std::optional<std::string_view> find(std::string_view name) const;

 private:
  MapView(const char* data, uint32_t count) : data_(data), count_(count) {}
  const char* data_ = nullptr;
  uint32_t count_ = 0;
};

// The largest map a host takes from a plugin (proxy-wasm-cpp-host's limits.h,
// PROXY_WASM_HOST_PAIRS_MAX_COUNT and _MAX_BYTES). Beyond either, cpp-host reads the map as
// empty without an error: proxy_set_header_map_pairs would wipe the map. The SDK refuses such
// a map with BadArgument instead of sending it.
inline constexpr size_t kMaxMapPairs = 1024;
inline constexpr size_t kMaxMapBytes = 1024 * 1024;

namespace detail {

inline constexpr size_t kMapWordSize = sizeof(uint32_t);

// Constant-evaluated byte by byte (encoded<list>); at run time, a word store and a memcpy.
constexpr void store_map_word(char* out, uint32_t value) {
  const unsigned char bytes[kMapWordSize] = {
      static_cast<unsigned char>(value), static_cast<unsigned char>(value >> 8),
      static_cast<unsigned char>(value >> 16), static_cast<unsigned char>(value >> 24)};
  if (std::is_constant_evaluated()) {
    for (size_t i = 0; i < kMapWordSize; ++i) out[i] = static_cast<char>(bytes[i]);
  } else {
    std::memcpy(out, bytes, kMapWordSize);
  }
}

// Writes `text` and a '\0'; returns the position after them. (memcpy of a null data() is
// undefined even for size 0, hence the test.)
constexpr char* append_terminated(char* out, std::string_view text) {
  if (std::is_constant_evaluated()) {
    for (char c : text) *out++ = c;
  } else if (!text.empty()) {
    std::memcpy(out, text.data(), text.size());
    out += text.size();
  }
  *out = '\0';
  return out + 1;
}

}  // namespace detail

// The number of bytes encode_map writes for `headers`.
constexpr size_t encoded_map_size(HeaderSpan headers) {
  size_t size = detail::kMapWordSize + headers.size() * 2 * detail::kMapWordSize;
  for (const Header& h : headers) size += h.name.size() + 1 + h.value.size() + 1;
  return size;
}

// Writes the encoding of `headers` to `out`, which has room for encoded_map_size(headers).
constexpr void encode_map_to(HeaderSpan headers, char* out) {
  detail::store_map_word(out, static_cast<uint32_t>(headers.size()));
  char* sizes = out + detail::kMapWordSize;
  char* bytes = sizes + headers.size() * 2 * detail::kMapWordSize;
  for (const Header& h : headers) {
    detail::store_map_word(sizes, static_cast<uint32_t>(h.name.size()));
    detail::store_map_word(sizes + detail::kMapWordSize, static_cast<uint32_t>(h.value.size()));
    sizes += 2 * detail::kMapWordSize;
    bytes = detail::append_terminated(bytes, h.name);
    bytes = detail::append_terminated(bytes, h.value);
  }
}
// The encoding of `headers` as a string.
std::string encode_map(HeaderSpan headers);

}  // namespace coproxy
