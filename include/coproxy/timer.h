// Timer: one wake-up at a deadline, for any context of a plugin (callback style: derive and
// implement on_fire; coroutine style: co_await sleep(...), whose awaiter is a Timer).
//
// A plugin context has one host tick. Its timers wait in a heap on the plugin context, and the
// tick is armed for the earliest of them (and for the plugin's own periodic on_tick), so any
// number of timers costs one host timer. When nothing is pending, the tick goes off.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coproxy {

class PluginContext;
namespace detail {
class PluginWaits;
class TimerHeap;
}  // namespace detail

class Timer {
 public:
  Timer() = default;
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  // Only a timer not started yet may move (an awaitable on its way into a combinator).
  Timer(Timer&& other) noexcept : Timer() { (void)other; }
  // A pending timer is cancelled.
  virtual ~Timer();

  bool pending() const { return plugin_ != nullptr; }
  // The deadline passed. The timer has left the heap and its owner context is effective.
  virtual void on_fire() = 0;
  // The owner context is gone (a timer that outlived it): the timer will not fire.
  virtual void on_abandoned() {}
  // The deadline passed but the host refused to make the owner effective (it no longer knows
  // it): runs with the owner current. By default, on_abandoned().
  virtual void on_lost() { on_abandoned(); }

 private:
  friend class detail::PluginWaits;
  friend class detail::TimerHeap;

  PluginContext* plugin_ = nullptr;  // whose heap holds this timer
  uint32_t owner_id_ = 0;            // the context to make effective when it fires
  uint64_t deadline_ns_ = 0;
  uint64_t sequence_ = 0;  // timers with one deadline fire in start order
  size_t heap_index_ = 0;
};

}  // namespace coproxy
