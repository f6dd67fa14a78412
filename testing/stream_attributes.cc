#include "testing/stream_attributes.h"

#include <charconv>
#include <cstring>
#include <vector>

#include "testing/host.h"

namespace coproxy::testing {
namespace {

enum Map : uint8_t { kRequestHeaders = 0, kResponseHeaders = 2, kResponseTrailers = 3 };

std::vector<std::string_view> segments_of(std::string_view encoded) {
  std::vector<std::string_view> segments;
  while (!encoded.empty()) {
    const size_t end = encoded.find('\0');
    segments.push_back(encoded.substr(0, end));
    if (end == std::string_view::npos) break;
    encoded.remove_prefix(end + 1);
  }
  return segments;
}

// CEL integers and timestamps: the host's native (little-endian) 8 bytes.
template <typename T>
std::string bytes_of(T value) {
  std::string out(sizeof value, '\0');
  std::memcpy(out.data(), &value, sizeof value);
  return out;
}

// Every value of header `name` (lower case, as the maps hold them) joined by ',', as Envoy's
// HeaderUtility::getAllOfHeaderAsString does; nothing when the stream has no such header.
std::optional<std::string> header(const Pairs& map, std::string_view name) {
  std::optional<std::string> joined;
  for (const auto& [key, value] : map) {
    if (key != name) continue;
    if (joined) {
      joined->push_back(',');
      joined->append(value);
    } else {
      joined = value;
    }
  }
  return joined;
}

// The map as one entry per name (values joined), in the wire format of a header map.
std::string serialized_headers(const Pairs& map) {
  Pairs unique;
  for (const auto& [key, value] : map) {
    bool seen = false;
    for (const auto& entry : unique) seen = seen || entry.first == key;
    if (!seen) unique.emplace_back(key, *header(map, key));
  }
  return encode_pairs(unique);
}

// request.headers, request.headers.NAME (and the same for the response's maps).
std::optional<std::string> headers_attribute(const Pairs& map,
                                             const std::vector<std::string_view>& path) {
  if (path.size() == 2) return serialized_headers(map);
  if (path.size() == 3) return header(map, path[2]);
  return std::nullopt;
}

// "10.0.0.1:50000" -> 50000, "[::1]:8080" -> 8080; a pipe's path has no port.
std::optional<int64_t> port_of(std::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || address.ends_with(']')) return std::nullopt;
  int64_t port = 0;
  const char* end = address.data() + address.size();
  auto [stop, error] = std::from_chars(address.data() + colon + 1, end, port);
  if (error != std::errc() || stop != end) return std::nullopt;
  return port;
}

std::optional<std::string> peer_attribute(std::string_view address, std::string_view field) {
  if (address.empty()) return std::nullopt;
  if (field == "address") return std::string(address);
  if (field == "port") {
    if (std::optional<int64_t> port = port_of(address)) return bytes_of(*port);
  }
  return std::nullopt;
}

std::optional<std::string> request_attribute(const StreamState& stream,
                                             const std::vector<std::string_view>& path) {
  const Pairs& headers = stream.maps[kRequestHeaders];
  const std::string_view field = path[1];
  if (field == "headers") return headers_attribute(headers, path);
  if (path.size() != 2) return std::nullopt;
  if (field == "time") return bytes_of(static_cast<int64_t>(stream.facts.start_ns));
  // The rest come with the request's headers: none before they arrive, none on TCP.
  if (headers.empty()) return std::nullopt;
  if (field == "protocol") return stream.facts.protocol;
  if (field == "path") return header(headers, ":path");
  if (field == "host") return header(headers, ":authority");
  if (field == "method") return header(headers, ":method");
  if (field == "scheme") return header(headers, ":scheme");
  if (field == "id") return header(headers, "x-request-id");
  if (field == "referer") return header(headers, "referer");
  if (field == "useragent") return header(headers, "user-agent");
  const std::string path_header = header(headers, ":path").value_or("");
  const std::string_view full = path_header;
  const size_t query = full.find('?');
  if (field == "url_path") return std::string(full.substr(0, query));
  if (field == "query") {
    if (query == std::string_view::npos) return std::string();
    const std::string_view rest = full.substr(query + 1);
    return std::string(rest.substr(0, rest.find('#')));
  }
  return std::nullopt;
}

// Envoy's response code is its StreamInfo's: set when the response's headers (or a local
// reply) go out, so there is none before.
std::optional<int64_t> response_code(const StreamState& stream) {
  if (std::optional<std::string> status = header(stream.maps[kResponseHeaders], ":status")) {
    int64_t code = 0;
    auto [stop, error] = std::from_chars(status->data(), status->data() + status->size(), code);
    if (error == std::errc() && stop == status->data() + status->size()) return code;
  }
  if (stream.local_response) return stream.local_response->status_code;
  return std::nullopt;
}

std::optional<std::string> response_attribute(const StreamState& stream,
                                              const std::vector<std::string_view>& path) {
  const std::string_view field = path[1];
  if (field == "headers") return headers_attribute(stream.maps[kResponseHeaders], path);
  if (field == "trailers") return headers_attribute(stream.maps[kResponseTrailers], path);
  if (path.size() != 2) return std::nullopt;
  if (field == "code") {
    if (std::optional<int64_t> code = response_code(stream)) return bytes_of(*code);
    return std::nullopt;
  }
  if (field == "grpc_status") {
    // The trailers' grpc-status, or the headers' for a trailers-only reply.
    std::optional<std::string> status = header(stream.maps[kResponseTrailers], "grpc-status");
    if (!status) status = header(stream.maps[kResponseHeaders], "grpc-status");
    int64_t code = 0;
    if (!status ||
        std::from_chars(status->data(), status->data() + status->size(), code).ec != std::errc()) {
      return std::nullopt;
    }
    return bytes_of(code);
  }
  return std::nullopt;
}

std::optional<std::string> connection_attribute(const StreamFacts& facts, uint64_t id,
                                                std::string_view field) {
  if (field == "id") return bytes_of(id);
  if (field == "mtls") return std::string(1, facts.mtls ? '\1' : '\0');
  if (field == "requested_server_name") return facts.requested_server_name;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> stream_attribute(const StreamState& stream, uint32_t context_id,
                                            std::string_view encoded_path) {
  const std::vector<std::string_view> path = segments_of(encoded_path);
  if (path.empty()) return std::nullopt;
  const StreamFacts& facts = stream.facts;
  const std::string_view top = path[0];
  const uint64_t connection_id = facts.connection_id != 0 ? facts.connection_id : context_id;
  if (path.size() == 1) {
    if (top == "route_name") return facts.route_name;
    if (top == "cluster_name") return facts.cluster_name;
    if (top == "connection_id") return bytes_of(connection_id);
    return std::nullopt;
  }
  if (top == "request") return request_attribute(stream, path);
  if (top == "response") return response_attribute(stream, path);
  if (path.size() != 2) return std::nullopt;
  if (top == "source") return peer_attribute(facts.source_address, path[1]);
  if (top == "destination") return peer_attribute(facts.destination_address, path[1]);
  if (top == "connection") return connection_attribute(facts, connection_id, path[1]);
  if (top == "xds") {
    if (path[1] == "route_name") return facts.route_name;
    if (path[1] == "cluster_name") return facts.cluster_name;
  }
  return std::nullopt;
}

}  // namespace coproxy::testing
