// A header map encoded for one host call, in ScratchBytes.
#pragma once

#include "coproxy/map_codec.h"
#include "coproxy/status.h"
#include "scratch_bytes.h"

namespace coproxy::internal {

class EncodedMap : public ScratchBytes {
 public:
  // An empty map goes as no bytes at all, as the raw ABI's users pass it: hosts read a map
  // shorter than its count word as empty (cpp-host PairsUtil::toPairs; docs/design-notes.md).
  explicit EncodedMap(HeaderSpan headers)
      : EncodedMap(headers, headers.empty() ? 0 : encoded_map_size(headers)) {}

  // Ok; BadArgument for a map beyond the host's limits (kMaxMapPairs, kMaxMapBytes), which
  // is then not encoded; InternalFailure when its bytes could not be allocated.
  Status status() const { return status_; }

 private:
  static bool within_limits(size_t pairs, size_t bytes) {
    return pairs <= kMaxMapPairs && bytes <= kMaxMapBytes;
  }
  EncodedMap(HeaderSpan headers, size_t size)
      : ScratchBytes(within_limits(headers.size(), size) ? size : 0),
        status_(!within_limits(headers.size(), size) ? StatusCode::BadArgument
                : ok()                               ? StatusCode::Ok
                                                     : StatusCode::InternalFailure) {
    if (status_.ok() && size != 0) encode_map_to(headers, data());
  }

  Status status_;
};

}  // namespace coproxy::internal
