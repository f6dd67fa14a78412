// Host time and the plugin context's tick.
#pragma once

#include <chrono>
#include <cstdint>

#include "coproxy/status.h"

namespace coproxy {

// Wall-clock time from the host, in nanoseconds since the Unix epoch.
Result<uint64_t> current_time_nanoseconds();

// Sets the calling plugin context's tick period; zero turns the tick off.
Status set_tick_period(std::chrono::milliseconds period);

}  // namespace coproxy
