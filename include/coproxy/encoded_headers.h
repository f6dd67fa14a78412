// coproxy::encoded<list>: a header list known when the plugin is compiled, in its wire form.
//
//   constexpr coproxy::Header kCheck[] = {
//       {":method", "GET"}, {":path", "/check"}, {":authority", "auth"}};
//   http_call("auth", coproxy::encoded<kCheck>);
//
// A callout, local reply or gRPC call given a plain list encodes it on every call; given
// encoded<list>, it hands the host bytes the compiler wrote into the module's data. The list
// must be a constexpr array of Header with static storage (a namespace-scope constant).
#pragma once

#include <array>
#include <cstddef>

#include "coproxy/header.h"
#include "coproxy/http_call.h"  // detail::has_request_pseudo_headers
#include "coproxy/map_codec.h"

namespace coproxy {
namespace detail {

template <const auto& kHeaders>
struct EncodedConstant {
  static constexpr HeaderSpan kSpan{kHeaders};
  static constexpr size_t kSize = encoded_map_size(kSpan);
  static_assert(kSpan.size() <= kMaxMapPairs && kSize <= kMaxMapBytes,
                "a header list beyond the host's limits (kMaxMapPairs, kMaxMapBytes)");
  static constexpr std::array<char, kSize> kBytes = [] {
    std::array<char, kSize> bytes{};
    encode_map_to(kSpan, bytes.data());
    return bytes;
  }();
  static constexpr EncodedHeaderBytes kWire{kBytes.data(), kSize,
                                            has_request_pseudo_headers(kSpan)};
  static constexpr HeaderSpan kEncoded{kSpan.begin(), kSpan.size(), &kWire};
};

}  // namespace detail

template <const auto& kHeaders>
inline constexpr HeaderSpan encoded = detail::EncodedConstant<kHeaders>::kEncoded;

}  // namespace coproxy
