// co_await sleep(duration): suspends the task for a while, in any context.
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

}  // namespace coproxy
