#include "coro/sleep.h"

#include "coproxy/plugin_context.h"

namespace coproxy {

bool SleepAwaiter::await_suspend(std::coroutine_handle<> awaiter) {
  Context* owner = Context::current();
  if (owner == nullptr) {
    status_ = StatusCode::InternalFailure;
    return false;
  }
  awaiter_ = awaiter;
  status_ = owner->plugin().start_timer(*this, *owner, delay_);
  return status_.ok();
}

namespace {

// What is left until `deadline` at `now`, rounded up to whole milliseconds; 0 when past.
std::chrono::milliseconds until(HostClock::time_point deadline, HostClock::time_point now) {
  if (deadline <= now) return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
}

}  // namespace

SleepAwaiter sleep_until(HostClock::time_point deadline) {
  return SleepAwaiter(until(deadline, HostClock::now()));
}

SleepAwaiter Periodic::next() {
  const HostClock::time_point now = HostClock::now();
  next_ += period_;
  if (next_ <= now && period_.count() > 0) {
    // The work ran past one or more rounds (or ends just as one is due): on to the first
    // round still ahead, on the same grid. A sleep of 0 would wait for the next tick anyway.
    const auto passed = (now - next_) / period_ + 1;
    next_ += passed * period_;
    skipped_ += static_cast<uint64_t>(passed);
  }
  return SleepAwaiter(until(next_, now));
}

}  // namespace coproxy
