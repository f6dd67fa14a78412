// Buffers: bodies, TCP data, callout bodies, gRPC messages, configurations, call arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coproxy/abi/types.h"
#include "coproxy/host_bytes.h"
#include "coproxy/status.h"

namespace coproxy {

struct BufferStatus {
  size_t size = 0;
  uint32_t flags = 0;
};

// A handle on one of the host's buffers. Cheap to copy; every call is a host call.
class Buffer {
 public:
  static constexpr size_t kAll = 0x7fffffff;  // "to the end" for get(); hosts read i32

  constexpr explicit Buffer(BufferType type) : type_(type) {}
  BufferType type() const { return type_; }

  // Up to `max_size` bytes from `start`. An empty buffer reads as empty bytes.
  Result<HostBytes> get(size_t start = 0, size_t max_size = kAll) const;
  Result<BufferStatus> status() const;
  // The host's primitive: replaces `size` bytes at `start` with `data`.
  Status set(size_t start, size_t size, std::string_view data) const;
  Status prepend(std::string_view data) const;
  Status append(std::string_view data) const;
  // Replaces the whole content.
  Status replace(std::string_view data) const;

 private:
  BufferType type_;
};

inline constexpr Buffer request_body() { return Buffer(BufferType::HttpRequestBody); }
inline constexpr Buffer response_body() { return Buffer(BufferType::HttpResponseBody); }
inline constexpr Buffer downstream_data() { return Buffer(BufferType::DownstreamData); }
inline constexpr Buffer upstream_data() { return Buffer(BufferType::UpstreamData); }
inline constexpr Buffer vm_configuration() { return Buffer(BufferType::VmConfiguration); }
inline constexpr Buffer plugin_configuration() { return Buffer(BufferType::PluginConfiguration); }

}  // namespace coproxy
