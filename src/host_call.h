// Internal helpers shared by the host-API wrappers.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "coproxy/abi/imports.h"
#include "coproxy/host_bytes.h"
#include "coproxy/status.h"

namespace coproxy::internal {

// coproxy's own codes never come from a host: one that claims them has failed.
inline Status to_status(proxy_status_t raw) {
  return raw >= kFirstSdkStatus ? StatusCode::InternalFailure : static_cast<StatusCode>(raw);
}

template <class Enum>
constexpr uint32_t wire(Enum value) {
  return static_cast<uint32_t>(value);
}

// A duration as the u32 milliseconds the host takes; nullopt when it does not fit.
inline std::optional<uint32_t> wire_milliseconds(std::chrono::milliseconds duration) {
  if (duration.count() < 0 || duration.count() > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(duration.count());
}

// Receives a buffer the host allocates for the plugin: pass out_data()/out_size() to the
// import, then take() the bytes. Whatever the host returned is freed even on error.
class HostOut {
 public:
  const char** out_data() { return &data_; }
  size_t* out_size() { return &size_; }
  HostBytes take() {
    HostBytes bytes(data_, size_);
    data_ = nullptr;
    size_ = 0;
    return bytes;
  }
  ~HostOut() { HostBytes discard(data_, size_); }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// Runs an import that returns host-allocated bytes and turns the outcome into
// Result<HostBytes>, made in place (no moved-from HostBytes to destroy). Whatever the host
// returned is freed even on error.
template <class Call>
Result<HostBytes> read_host_bytes(Call&& call) {
  const char* data = nullptr;
  size_t size = 0;
  Status status = to_status(call(&data, &size));
  if (!status.ok()) {
    HostBytes discard(data, size);
    return status;
  }
  return Result<HostBytes>(std::in_place, data, size);
}

}  // namespace coproxy::internal
