#include "coproxy/buffer.h"

#include "host_call.h"

namespace coproxy {

using internal::to_status;
using internal::wire;

Result<HostBytes> Buffer::get(size_t start, size_t max_size) const {
  return internal::read_host_bytes([&](const char** data, size_t* size) {
    return proxy_get_buffer_bytes(wire(type_), start, max_size, data, size);
  });
}

Result<BufferStatus> Buffer::status() const {
  BufferStatus result;
  Status status = to_status(proxy_get_buffer_status(wire(type_), &result.size, &result.flags));
  if (!status.ok()) return status;
  return result;
}

Status Buffer::set(size_t start, size_t size, std::string_view data) const {
  return to_status(proxy_set_buffer_bytes(wire(type_), start, size, data.data(), data.size()));
}

// The host's rules (ABI.md): start 0 with size 0 prepends, start at or past the end appends,
// start 0 with a size covering the buffer replaces it.
Status Buffer::prepend(std::string_view data) const { return set(0, 0, data); }
Status Buffer::append(std::string_view data) const { return set(kAll, 0, data); }
Status Buffer::replace(std::string_view data) const { return set(0, kAll, data); }

}  // namespace coproxy
