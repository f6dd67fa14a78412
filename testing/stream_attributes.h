// The attributes Envoy derives for each stream (request.path, response.code, source.address,
// route_name ...), as proxy_get_property hands them to a plugin: from the stream's own
// headers where Envoy derives them, from StreamFacts (a per-stream test setting) where nothing
// in the stream says. Encodings as Envoy serializes CEL values: strings as they are, integers
// as 8 bytes little-endian, booleans as one byte, timestamps as int64 nanoseconds since the
// epoch, maps as the header-map wire format. Follows Envoy's
// source/extensions/filters/common/expr/context.cc (the Request/Response/Connection/Peer/XDS
// lookups) and source/extensions/common/wasm/context.cc (findValue, serializeValue); see
// docs/design-notes.md, "Stream attributes".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coproxy::testing {

struct StreamState;

// What the emulator cannot read off a stream's headers. Each stream gets these defaults;
// Host::stream_facts(id) changes them for one stream.
struct StreamFacts {
  std::string protocol = "HTTP/1.1";  // request.protocol
  // source.address (the downstream peer) and destination.address (the listener's), "ip:port"
  // or "[ipv6]:port"; "": the stream has none (NotFound).
  std::string source_address = "10.0.0.1:50000";
  std::string destination_address = "10.0.0.2:10000";
  uint64_t connection_id = 0;               // connection.id; 0: the context id
  bool mtls = false;                        // connection.mtls
  std::string requested_server_name;        // connection.requested_server_name
  std::string route_name;                   // route_name, xds.route_name
  std::optional<std::string> cluster_name;  // cluster_name, xds.cluster_name
  uint64_t start_ns = 0;  // request.time: set when the stream opens, from the virtual clock
};

// The value of the attribute at `encoded_path` (segments, each followed by '\0') for stream
// `context_id`, or nothing when Envoy would answer NotFound (no such attribute, or a stream
// that does not have it yet: response.code before the response's headers).
std::optional<std::string> stream_attribute(const StreamState& stream, uint32_t context_id,
                                            std::string_view encoded_path);

}  // namespace coproxy::testing
