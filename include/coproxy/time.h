// Host time: the host's clock as a std::chrono clock, a stopwatch on it, and the plugin
// context's tick.
#pragma once

#include <chrono>
#include <cstdint>

#include "coproxy/status.h"

namespace coproxy {

// Wall-clock time from the host, in nanoseconds since the Unix epoch.
Result<uint64_t> current_time_nanoseconds();

// The host's clock (proxy_get_current_time_nanoseconds) as a std::chrono clock: wall-clock
// time since the Unix epoch; in tests, the emulator's virtual clock.
//   HostClock::time_point started = HostClock::now();
struct HostClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<HostClock>;
  static constexpr bool is_steady = false;

  // Now; the epoch (time_point()) if the host refuses, which no known host does. Use
  // current_time_nanoseconds() to see that error.
  static time_point now() noexcept;
  // The same instant as a std::chrono::system_clock time point (for formatting).
  static std::chrono::system_clock::time_point to_sys(time_point t) {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(t.time_since_epoch()));
  }
};

// How long something took, on the host clock ("how long did the auth call take"):
//   Stopwatch watch;
//   auto reply = co_await http_call("auth", ...);
//   auth_latency.record(watch.elapsed_ms());
// It is 8 bytes: keep one in a coroutine frame or a stream context at no cost.
class Stopwatch {
 public:
  Stopwatch() : start_(HostClock::now()) {}

  HostClock::time_point started() const { return start_; }
  HostClock::duration elapsed() const { return HostClock::now() - start_; }
  // Whole milliseconds, as a histogram records them.
  uint64_t elapsed_ms() const {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed()).count();
    return ms > 0 ? static_cast<uint64_t>(ms) : 0;
  }
  void restart() { start_ = HostClock::now(); }

 private:
  HostClock::time_point start_;
};

// Sets the calling plugin context's tick period; zero turns the tick off.
Status set_tick_period(std::chrono::milliseconds period);

}  // namespace coproxy
