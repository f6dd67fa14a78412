// The header-map wire format of Proxy-Wasm (little-endian):
//   u32 count, count x (u32 key_size, u32 value_size), then per pair: key, '\0', value, '\0'.
// Shared by the plugin side (decoding what the host returns, encoding what it sends) and by
// the host emulator. Decoding treats every length as hostile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

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

// The number of bytes encode_map writes for `headers`.
size_t encoded_map_size(HeaderSpan headers);
// Writes the encoding of `headers` to `out`, which has room for encoded_map_size(headers).
void encode_map_to(HeaderSpan headers, char* out);
// The encoding of `headers` as a string.
std::string encode_map(HeaderSpan headers);

}  // namespace coproxy
