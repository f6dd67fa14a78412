// HTTP callouts, as the host sees them: dispatch returns a token; the response arrives on the
// plugin context as proxy_on_http_call_response. Contexts offer a callback form on top.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "coproxy/header.h"
#include "coproxy/status.h"

namespace coproxy {

inline constexpr std::chrono::milliseconds kDefaultCallTimeout{5000};

namespace detail {

// Whether `name` is `literal` (up to 16 bytes). At run time compared as two words (a memcpy
// of a constant size is one load): on the callout path a call to wasi-libc's memcmp, a loop
// per byte, cost more than the callout itself.
template <size_t N>
[[gnu::always_inline]] constexpr bool is_name(std::string_view name, const char (&literal)[N]) {
  constexpr size_t kSize = N - 1;
  static_assert(kSize > 0 && kSize <= 16);
  if (name.size() != kSize) return false;
  if (std::is_constant_evaluated()) return name == std::string_view(literal, kSize);
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

// A callout's headers need :method, :path and :authority; one pass over the list.
constexpr bool has_request_pseudo_headers(HeaderSpan headers) {
  bool method = false, path = false, authority = false;
  for (const Header& header : headers) {
    method = method || is_name(header.name, ":method");
    path = path || is_name(header.name, ":path");
    authority = authority || is_name(header.name, ":authority");
  }
  return method && path && authority;
}

}  // namespace detail

// Starts a callout to `upstream` (a cluster name). The headers must include :method, :path
// and :authority (BadArgument otherwise; checked here before the host is asked).
Result<uint32_t> dispatch_http_call(std::string_view upstream, HeaderSpan headers,
                                    std::string_view body = {}, HeaderSpan trailers = {},
                                    std::chrono::milliseconds timeout = kDefaultCallTimeout);

}  // namespace coproxy
