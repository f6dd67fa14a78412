#include "coproxy/http_call.h"

#include <cstdint>
#include <cstring>

#include "encoded_map.h"
#include "host_call.h"

namespace coproxy {
namespace {

// Up to 16 bytes compared as two words (a memcpy of a constant size is one load): on this
// path a call to wasi-libc's memcmp, a loop per byte, cost more than the callout itself.
template <size_t N>
[[gnu::always_inline]] inline bool is(std::string_view name, const char (&literal)[N]) {
  constexpr size_t kSize = N - 1;
  static_assert(kSize > 0 && kSize <= 16);
  if (name.size() != kSize) return false;
  constexpr size_t kHead = kSize < 8 ? kSize : 8;
  uint64_t a = 0, b = 0;
  std::memcpy(&a, name.data(), kHead);
  std::memcpy(&b, literal, kHead);
  if (a != b) return false;
  if constexpr (kSize > 8) {
    a = b = 0;
    std::memcpy(&a, name.data() + 8, kSize - 8);
    std::memcpy(&b, literal + 8, kSize - 8);
  }
  return a == b;
}

// A callout needs :method, :path and :authority; one pass over the list.
bool has_required_pseudo_headers(HeaderSpan headers) {
  bool method = false, path = false, authority = false;
  for (const Header& header : headers) {
    method = method || is(header.name, ":method");
    path = path || is(header.name, ":path");
    authority = authority || is(header.name, ":authority");
  }
  return method && path && authority;
}

}  // namespace

Result<uint32_t> dispatch_http_call(std::string_view upstream, HeaderSpan headers,
                                    std::string_view body, HeaderSpan trailers,
                                    std::chrono::milliseconds timeout) {
  // Hosts reject these too, but saying so here gives the same answer on every host.
  if (!has_required_pseudo_headers(headers)) return StatusCode::BadArgument;
  std::optional<uint32_t> timeout_ms = internal::wire_milliseconds(timeout);
  if (!timeout_ms) return StatusCode::BadArgument;
  internal::EncodedMap encoded_headers(headers);
  if (!encoded_headers.status().ok()) return encoded_headers.status();
  internal::EncodedMap encoded_trailers(trailers);
  if (!encoded_trailers.status().ok()) return encoded_trailers.status();
  uint32_t token = 0;
  Status status = internal::to_status(proxy_http_call(
      upstream.data(), upstream.size(), encoded_headers.data(), encoded_headers.size(),
      body.data(), body.size(), encoded_trailers.data(), encoded_trailers.size(),
      *timeout_ms, &token));
  if (!status.ok()) return status;
  return token;
}

}  // namespace coproxy
