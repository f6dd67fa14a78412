// Fuzzes property paths and values across the ABI boundary. The input is split at '\x01' into
// up to three path segments and a value (segments may hold any byte, '\0' included):
//   - a value the plugin sets at a path it reads back unchanged, through the SDK's path
//     encoding (each segment and a '\0') and the host's lookup;
//   - the raw input as an encoded path, hostile to the host (get, set) and to the trace that
//     prints it, never crashes either.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "coproxy/coproxy.h"
#include "testing/host.h"
#include "testing/native_plugin.h"
#include "testing/trace.h"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

std::vector<std::string_view> split(std::string_view input) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t end = input.find('\x01', start);
    if (end == std::string_view::npos || parts.size() == 3) {
      parts.push_back(input.substr(start));
      return parts;
    }
    parts.push_back(input.substr(start, end - start));
    start = end + 1;
  }
}

coproxy::Status set(const std::vector<std::string_view>& path, std::string_view value) {
  switch (path.size()) {
    case 1: return coproxy::set_property({path[0]}, value);
    case 2: return coproxy::set_property({path[0], path[1]}, value);
    default: return coproxy::set_property({path[0], path[1], path[2]}, value);
  }
}

coproxy::Result<coproxy::HostBytes> get(const std::vector<std::string_view>& path) {
  switch (path.size()) {
    case 1: return coproxy::get_property({path[0]});
    case 2: return coproxy::get_property({path[0], path[1]});
    default: return coproxy::get_property({path[0], path[1], path[2]});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  coproxy::testing::Host host;
  coproxy::testing::ActiveHostScope scope(host);
  host.add_context(1);
  host.act_as(1);

  std::vector<std::string_view> parts = split(input);
  const std::string_view value = parts.back();
  parts.pop_back();
  if (!parts.empty()) {
    require(set(parts, value).ok());
    coproxy::Result<coproxy::HostBytes> read = get(parts);
    require(read.ok() && read->view() == value);
  }

  // The raw input as an encoded path, straight to the host and its trace.
  std::string ignored;
  (void)host.get_property(input, &ignored);
  (void)host.set_property(input, value);
  (void)coproxy::testing::TraceValue::property_path(input).text();
  return 0;
}
