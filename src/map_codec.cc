#include "coproxy/map_codec.h"

#include <cstring>

namespace coproxy {
namespace {

constexpr size_t kWordSize = detail::kMapWordSize;
constexpr size_t kPairHeaderSize = 2 * kWordSize;

uint32_t load_u32(const char* p) {
  unsigned char b[kWordSize];
  std::memcpy(b, p, kWordSize);
  return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
}

}  // namespace

Result<MapView> MapView::parse(std::string_view wire) {
  if (wire.empty()) return MapView();
  if (wire.size() < kWordSize) return StatusCode::ParseFailure;
  const uint32_t count = load_u32(wire.data());
  size_t remaining = wire.size() - kWordSize;
  // Division, not multiplication: a hostile count must not overflow.
  if (count > remaining / kPairHeaderSize) return StatusCode::ParseFailure;
  remaining -= count * kPairHeaderSize;
  const char* sizes = wire.data() + kWordSize;
  const char* bytes = sizes + count * kPairHeaderSize;
  for (uint32_t i = 0; i < count; ++i, sizes += kPairHeaderSize) {
    for (size_t part = 0; part < 2; ++part) {
      const size_t length = load_u32(sizes + part * kWordSize);
      // Room for the bytes and the '\0' after them, checked without adding to `length`.
      if (remaining == 0 || length > remaining - 1) return StatusCode::ParseFailure;
      if (bytes[length] != '\0') return StatusCode::ParseFailure;
      bytes += length + 1;
      remaining -= length + 1;
    }
  }
  if (remaining != 0) return StatusCode::ParseFailure;
  return MapView(wire.data(), count);
}

Header MapView::iterator::operator*() const {
  const uint32_t key_size = load_u32(sizes_);
  const uint32_t value_size = load_u32(sizes_ + kWordSize);
  return {std::string_view(bytes_, key_size), std::string_view(bytes_ + key_size + 1, value_size)};
}

MapView::iterator& MapView::iterator::operator++() {
  bytes_ += load_u32(sizes_) + 1 + load_u32(sizes_ + kWordSize) + 1;
  sizes_ += kPairHeaderSize;
  return *this;
}

MapView::iterator MapView::begin() const {
  if (count_ == 0) return end();
  const char* sizes = data_ + kWordSize;
  return iterator(sizes, sizes + size_t{count_} * kPairHeaderSize);
}

MapView::iterator MapView::end() const {
  if (count_ == 0) return iterator();
  return iterator(data_ + kWordSize + size_t{count_} * kPairHeaderSize, nullptr);
}

std::optional<std::string_view> MapView::find(std::string_view name) const {
  for (Header header : *this) {
    if (header.name == name) return header.value;
  }
  return std::nullopt;
}

std::string encode_map(HeaderSpan headers) {
  std::string out(encoded_map_size(headers), '\0');
  encode_map_to(headers, out.data());
  return out;
}

}  // namespace coproxy
