// Properties: host attributes addressed by a path of segments, e.g. {"request", "path"}.
#pragma once

#include <initializer_list>
#include <string_view>

#include "coproxy/host_bytes.h"
#include "coproxy/status.h"

namespace coproxy {

// A property path as its segments. Encoded for the host as each segment followed by '\0'.
using PropertyPath = std::initializer_list<std::string_view>;

// The value of the property at `path` (NotFound when the host has none). Values are raw
// bytes as the host encodes them (strings as is; integers as 8 little-endian bytes).
Result<HostBytes> get_property(PropertyPath path);
Status set_property(PropertyPath path, std::string_view value);

}  // namespace coproxy
