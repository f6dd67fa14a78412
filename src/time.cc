#include "coproxy/time.h"

#include "host_call.h"

namespace coproxy {

Result<uint64_t> current_time_nanoseconds() {
  uint64_t now = 0;
  Status status = internal::to_status(proxy_get_current_time_nanoseconds(&now));
  if (!status.ok()) return status;
  return now;
}

HostClock::time_point HostClock::now() noexcept {
  uint64_t now = 0;
  if (!internal::to_status(proxy_get_current_time_nanoseconds(&now)).ok()) return time_point();
  return time_point(duration(static_cast<rep>(now)));
}

Status set_tick_period(std::chrono::milliseconds period) {
  std::optional<uint32_t> period_ms = internal::wire_milliseconds(period);
  if (!period_ms) return StatusCode::BadArgument;
  return internal::to_status(proxy_set_tick_period_milliseconds(*period_ms));
}

}  // namespace coproxy
