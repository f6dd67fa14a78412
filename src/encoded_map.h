// A header map in its wire form for one host call: the bytes a list encoded at compile time
// (coproxy::encoded<list>) came with, or its encoding in ScratchBytes.
#pragma once

#include "coproxy/map_codec.h"
#include "coproxy/status.h"
#include "scratch_bytes.h"

namespace coproxy::internal {

class EncodedMap {
 public:
  // An empty map goes as no bytes at all, as the raw ABI's users pass it: hosts read a map
  // shorter than its count word as empty (cpp-host PairsUtil::toPairs; docs/design-notes.md).
  // Inline: a constant or empty map costs a few stores, no call.
  [[gnu::always_inline]] explicit EncodedMap(HeaderSpan headers) {
    if (const EncodedHeaderBytes* wire = headers.encoded()) {
      data_ = wire->data;  // within the host's limits: encoded<> asserts them
      size_ = wire->size;
    } else if (!headers.empty()) {
      encode(headers);
    }
  }

  // Inline with the constructor: one call fewer per map on every callout.
  [[gnu::always_inline]] ~EncodedMap() = default;

  // Ok; BadArgument for a map beyond the host's limits (kMaxMapPairs, kMaxMapBytes), which
  // is then not encoded; InternalFailure when its bytes could not be allocated.
  Status status() const { return status_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  [[gnu::noinline]] void encode(HeaderSpan headers) {
    const size_t size = encoded_map_size(headers);
    if (headers.size() > kMaxMapPairs || size > kMaxMapBytes) {
      status_ = StatusCode::BadArgument;
    } else if (!scratch_.allocate(size)) {
      status_ = StatusCode::InternalFailure;
    } else {
      encode_map_to(headers, scratch_.data());
      data_ = scratch_.data();
      size_ = size;
    }
  }

  ScratchBytes scratch_;
  Status status_;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace coproxy::internal
