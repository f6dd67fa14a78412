// co_await sleep(duration): suspends the task for a while, in any context.
// co_await sleep_until(deadline): until the host clock reads `deadline`.
// Periodic: rounds at a fixed rate, for a background loop that must not drift.
//
// Every sleeping task of a plugin is a Timer in its plugin context's heap, multiplexed on the
// one host tick (see coproxy/timer.h); the plugin's own periodic on_tick keeps working when it
// is set with PluginContext::set_tick_period. The result is an error when the host's clock or
// tick refused (the task then does not suspend), or BrokenConnection when the host refused to
// make the task's context effective as it woke. Destroying the task cancels the timer.
#pragma once

#include <chrono>
#include <coroutine>

#include "coproxy/status.h"
#include "coproxy/time.h"
#include "coproxy/timer.h"

namespace coproxy {

class [[nodiscard]] SleepAwaiter final : public Timer {
 public:
  explicit SleepAwaiter(std::chrono::milliseconds delay) : delay_(delay) {}

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> awaiter);
  Status await_resume() const { return status_; }

  void on_fire() override { awaiter_.resume(); }
  void on_lost() override {
    status_ = StatusCode::BrokenConnection;
    awaiter_.resume();
  }

 private:
  std::chrono::milliseconds delay_;
  Status status_;
  std::coroutine_handle<> awaiter_;
};

inline SleepAwaiter sleep(std::chrono::milliseconds delay) { return SleepAwaiter(delay); }

// Until the host clock reads `deadline` (to the millisecond, rounded up). The clock is read
// when the expression is evaluated; a deadline already passed sleeps 0 ms (the next tick).
SleepAwaiter sleep_until(HostClock::time_point deadline);

// Rounds at a fixed rate on the host clock: round k is due at start + k * period, however
// long the work between rounds took. `co_await sleep(period)` after the work starts each round
// `period` after the work ended instead, so a slow round (a callout that timed out) pushes
// every later one back. Rounds the work ran past (or ended on) are skipped, not run late in a
// burst: the next round is the first one still ahead, on the same grid.
//
//   coproxy::Periodic rounds(config.period);           // starts now
//   for (;;) {
//     if (!(co_await rounds.next()).ok()) co_return;   // the host has no tick for us
//     ... the work ...
//   }
class Periodic {
 public:
  explicit Periodic(std::chrono::milliseconds period)
      : period_(period), next_(HostClock::now()) {}

  // Sleeps until the next round is due.
  SleepAwaiter next();
  // The rounds skipped so far because the work ran past them.
  uint64_t skipped() const { return skipped_; }

 private:
  std::chrono::milliseconds period_;
  HostClock::time_point next_;  // when the last round was (or the start)
  uint64_t skipped_ = 0;
};

}  // namespace coproxy
