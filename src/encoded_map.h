// A header map encoded for one host call, in ScratchBytes.
#pragma once

#include "coproxy/map_codec.h"
#include "scratch_bytes.h"

namespace coproxy::internal {

class EncodedMap : public ScratchBytes {
 public:
  explicit EncodedMap(HeaderSpan headers) : ScratchBytes(encoded_map_size(headers)) {
    if (ok()) encode_map_to(headers, data());
  }
};

}  // namespace coproxy::internal
