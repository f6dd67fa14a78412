// Typed reads of the attributes a host keeps for the current stream: request.path,
// response.code, source.address and the rest of Envoy's attribute list, under Envoy's names.
// Each is one proxy_get_property on the effective context; the value encodings (integers as 8
// bytes little-endian, booleans as one byte, timestamps as nanoseconds) are decoded here. An
// attribute the stream does not have yet (response.code before the response's headers), or a
// host that keeps none, is NotFound; bytes of the wrong size for the type are ParseFailure.
//
//   coproxy::Result<coproxy::PeerAddress> client = coproxy::source_address();
//   if (client && client->ip() == "10.0.0.1") ...
//   const int64_t code = coproxy::response_code().value_or(0);
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "coproxy/host_bytes.h"
#include "coproxy/property.h"
#include "coproxy/status.h"

namespace coproxy {

// A peer's address as the host gives it ("10.0.0.1:50000", "[::1]:443", or a pipe's path),
// with its IP and port taken apart.
struct PeerAddress {
  HostBytes address;

  std::string_view text() const { return address.view(); }
  // "10.0.0.1", "::1"; the whole text when it has no port (a pipe).
  std::string_view ip() const;
  // Nothing when the address has none.
  std::optional<uint16_t> port() const;
};

// ---- the request (HTTP streams, once the request's headers have arrived) ----
Result<HostBytes> request_path();      // request.path: ":path", query included ("/a?b=1")
Result<HostBytes> request_url_path();  // request.url_path: the path without its query ("/a")
Result<HostBytes> request_host();      // request.host: ":authority"
Result<HostBytes> request_method();    // request.method
Result<HostBytes> request_scheme();    // request.scheme
Result<HostBytes> request_id();        // request.id: x-request-id
Result<HostBytes> request_protocol();  // request.protocol: "HTTP/1.1", "HTTP/2", "HTTP/3"
// request.time: when the stream began, since the Unix epoch.
Result<std::chrono::nanoseconds> request_time();

// ---- the response ----
Result<int64_t> response_code();         // response.code: once headers or a local reply went out
Result<int64_t> response_grpc_status();  // response.grpc_status

// ---- the connection, the route ----
Result<PeerAddress> source_address();       // source.address: the downstream client
Result<PeerAddress> destination_address();  // destination.address: the listener's address
Result<uint64_t> connection_id();           // connection.id
Result<bool> connection_mtls();             // connection.mtls: a client certificate was shown
Result<HostBytes> route_name();             // route_name: the route the stream matched
Result<HostBytes> cluster_name();           // cluster_name: the upstream cluster

// ---- any other attribute, by its path and type ----
Result<int64_t> get_int64_property(PropertyPath path);
Result<uint64_t> get_uint64_property(PropertyPath path);
Result<bool> get_bool_property(PropertyPath path);

}  // namespace coproxy
