#include "coproxy/stream_attributes.h"

#include <cstring>

namespace coproxy {
namespace {

// A fixed-size value in the host's encoding: the bytes of T, little-endian as wasm32 is.
template <typename T>
Result<T> fixed_size_property(PropertyPath path) {
  Result<HostBytes> bytes = get_property(path);
  if (!bytes.ok()) return bytes.status();
  if (bytes->size() != sizeof(T)) return StatusCode::ParseFailure;
  T value;
  std::memcpy(&value, bytes->data(), sizeof(T));
  return value;
}

Result<PeerAddress> peer_address(PropertyPath path) {
  Result<HostBytes> bytes = get_property(path);
  if (!bytes.ok()) return bytes.status();
  return PeerAddress{std::move(*bytes)};
}

// Where the port starts after the last ':', or npos: an IPv6 address without a port ends
// with ']', one without brackets has no port, a pipe's path has no ':' at all.
size_t port_separator(std::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == address.size()) return colon;
  if (address.starts_with('[') ? address[colon - 1] != ']' : address.find(':') != colon) {
    return std::string_view::npos;
  }
  return colon;
}

}  // namespace

std::string_view PeerAddress::ip() const {
  std::string_view whole = text();
  const size_t colon = port_separator(whole);
  if (colon == std::string_view::npos) return whole;
  std::string_view ip = whole.substr(0, colon);
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  return ip;
}

std::optional<uint16_t> PeerAddress::port() const {
  std::string_view whole = text();
  const size_t colon = port_separator(whole);
  if (colon == std::string_view::npos || colon + 1 == whole.size()) return std::nullopt;
  uint32_t port = 0;
  for (char c : whole.substr(colon + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<uint32_t>(c - '0');
    if (port > 65535) return std::nullopt;
  }
  return static_cast<uint16_t>(port);
}

Result<HostBytes> request_path() { return get_property({"request", "path"}); }
Result<HostBytes> request_url_path() { return get_property({"request", "url_path"}); }
Result<HostBytes> request_host() { return get_property({"request", "host"}); }
Result<HostBytes> request_method() { return get_property({"request", "method"}); }
Result<HostBytes> request_scheme() { return get_property({"request", "scheme"}); }
Result<HostBytes> request_id() { return get_property({"request", "id"}); }
Result<HostBytes> request_protocol() { return get_property({"request", "protocol"}); }

Result<std::chrono::nanoseconds> request_time() {
  Result<int64_t> nanoseconds = fixed_size_property<int64_t>({"request", "time"});
  if (!nanoseconds.ok()) return nanoseconds.status();
  return std::chrono::nanoseconds(*nanoseconds);
}

Result<int64_t> response_code() { return fixed_size_property<int64_t>({"response", "code"}); }
Result<int64_t> response_grpc_status() {
  return fixed_size_property<int64_t>({"response", "grpc_status"});
}

Result<PeerAddress> source_address() { return peer_address({"source", "address"}); }
Result<PeerAddress> destination_address() { return peer_address({"destination", "address"}); }
Result<uint64_t> connection_id() { return fixed_size_property<uint64_t>({"connection", "id"}); }
Result<bool> connection_mtls() { return get_bool_property({"connection", "mtls"}); }
Result<HostBytes> route_name() { return get_property({"route_name"}); }
Result<HostBytes> cluster_name() { return get_property({"cluster_name"}); }

Result<int64_t> get_int64_property(PropertyPath path) { return fixed_size_property<int64_t>(path); }
Result<uint64_t> get_uint64_property(PropertyPath path) {
  return fixed_size_property<uint64_t>(path);
}
Result<bool> get_bool_property(PropertyPath path) {
  Result<HostBytes> bytes = get_property(path);
  if (!bytes.ok()) return bytes.status();
  if (bytes->size() != 1) return StatusCode::ParseFailure;
  return bytes->data()[0] != 0;
}

}  // namespace coproxy
