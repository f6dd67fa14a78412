// Foreign functions: host extensions called by name with opaque arguments.
#pragma once

#include <string_view>

#include "coproxy/host_bytes.h"
#include "coproxy/status.h"

namespace coproxy {

// Calls the host's function `name`; NotFound when the host has none by that name.
Result<HostBytes> call_foreign_function(std::string_view name, std::string_view arguments);

}  // namespace coproxy
