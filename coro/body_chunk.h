// BodyChunk: new bytes of a body (HTTP) or of a direction's data (TCP), as a stream coroutine
// gets them: [offset, offset + size) of the buffer the host holds for that direction (read and
// change them with request_body() / response_body() / downstream_data() / upstream_data()).
#pragma once

#include <cstddef>

namespace coproxy {

struct BodyChunk {
  size_t offset = 0;
  size_t size = 0;
  bool end_of_stream = false;  // nothing follows
};

}  // namespace coproxy
