// Fuzzes the header-map wire format from both ends, with every length field hostile:
//   - the SDK's decoder (MapView::parse, which the emulator shares) accepts exactly the inputs
//     a plain reference decoder here accepts, and reads the same pairs from them;
//   - an accepted input is canonical: encoding its pairs again gives the same bytes (an
//     empty input is the empty map, by convention);
//   - the same bytes handed to the plugin by the host (proxy_get_header_map_pairs) and a map
//     the plugin sends built from them (proxy_set_header_map_pairs) survive the trip intact.
// Any mismatch aborts (libFuzzer reports it with the input); ASan and UBSan watch every read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "coproxy/coproxy.h"
#include "testing/host.h"
#include "testing/native_plugin.h"

namespace {

using coproxy::Header;
using coproxy::MapView;
using coproxy::testing::Pairs;

void require(bool condition) {
  if (!condition) std::abort();
}

uint64_t load_u32(std::string_view wire, uint64_t at) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(wire[at + i]);
  return value;
}

// The format as the ABI states it, decoded the plain way (64-bit offsets, nothing clever).
std::optional<Pairs> reference_decode(std::string_view wire) {
  if (wire.empty()) return Pairs();
  if (wire.size() < 4) return std::nullopt;
  const uint64_t count = load_u32(wire, 0);
  uint64_t at = 4 + 8 * count;
  if (at > wire.size()) return std::nullopt;
  Pairs pairs;
  for (uint64_t i = 0; i < count; ++i) {
    std::string parts[2];
    for (int part = 0; part < 2; ++part) {
      const uint64_t length = load_u32(wire, 4 + 8 * i + 4 * part);
      if (at + length + 1 > wire.size() || wire[at + length] != '\0') return std::nullopt;
      parts[part] = std::string(wire.substr(at, length));
      at += length + 1;
    }
    pairs.emplace_back(parts[0], parts[1]);
  }
  if (at != wire.size()) return std::nullopt;
  return pairs;
}

void decoders_agree(std::string_view wire) {
  coproxy::Result<MapView> view = MapView::parse(wire);
  std::optional<Pairs> pairs = reference_decode(wire);
  require(view.ok() == pairs.has_value());
  if (!view.ok()) {
    require(view.status().code() == coproxy::StatusCode::ParseFailure);
    return;
  }
  require(view->size() == pairs->size());
  std::vector<Header> headers;
  size_t i = 0;
  for (Header header : *view) {
    require(header.name == (*pairs)[i].first && header.value == (*pairs)[i].second);
    headers.push_back(header);
    ++i;
  }
  require(i == pairs->size());
  if (!wire.empty()) {
    require(coproxy::encode_map(headers) == wire);
    require(coproxy::encoded_map_size(headers) == wire.size());
  }
  if (!headers.empty()) require(view->find(headers[0].name) == headers[0].value);
}

// The host hands `wire` (when valid) to the plugin as request headers and takes them back.
void round_trip_through_the_host(std::string_view wire) {
  std::optional<Pairs> pairs = coproxy::testing::decode_pairs(wire);
  if (!pairs) return;
  coproxy::testing::Host host;
  coproxy::testing::ActiveHostScope scope(host);
  host.add_context(1);
  host.add_context(2, 1);
  host.act_as(2);
  host.stream(2).maps[0] = *pairs;
  coproxy::Result<coproxy::HeaderPairs> read = coproxy::request_headers().pairs();
  require(read.ok());
  std::vector<Header> headers;
  for (Header header : *read) headers.push_back(header);
  require(headers.size() == pairs->size());
  require(coproxy::request_headers().set_pairs(headers).ok());
  require(host.stream(2).maps[0] == *pairs);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view wire(reinterpret_cast<const char*>(data), size);
  decoders_agree(wire);
  round_trip_through_the_host(wire);
  return 0;
}
