// PluginWaits: the timers and queue waiters of one plugin context, and the host tick they
// share with the plugin's own periodic on_tick (see timer.h, queue_waiter.h).
//
// A plugin context makes it on first use (start_timer, wait_for_queue, set_tick_period) and
// reaches it through virtual calls otherwise, so a plugin that never waits links none of it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "coproxy/detail/id_map.h"
#include "coproxy/detail/timer_heap.h"
#include "coproxy/queue_waiter.h"
#include "coproxy/status.h"
#include "coproxy/timer.h"

namespace coproxy {
class Context;
class PluginContext;
}  // namespace coproxy

namespace coproxy::detail {

class PluginWaits {
 public:
  explicit PluginWaits(PluginContext& plugin) : plugin_(plugin) {}
  PluginWaits(const PluginWaits&) = delete;
  PluginWaits& operator=(const PluginWaits&) = delete;
  // Abandons every timer and waiter still pending.
  virtual ~PluginWaits();

  // proxy_on_tick: the plugin's own on_tick when due, then the timers that are due.
  virtual void on_tick();
  // proxy_on_queue_ready, after the plugin's own on_queue_ready: wakes the queue's waiters.
  virtual void on_queue_ready(uint32_t queue_id);

  Status set_tick_period(std::chrono::milliseconds period);
  Status start_timer(Timer& timer, const Context& owner, std::chrono::milliseconds delay);
  void cancel_timer(Timer& timer);
  void wait_for_queue(QueueWaiter& waiter, const Context& owner, uint32_t queue_id);
  void stop_waiting(QueueWaiter& waiter);
  // Timers and queue waiters `context_id` owns (a linear scan: tests and leak checks).
  size_t waiters_of(uint32_t context_id) const;

 private:
  // The waiters of one queue, in arrival order.
  struct QueueWaiters {
    QueueWaiter* head = nullptr;
    QueueWaiter* tail = nullptr;
  };
  // Arms the host tick for the earliest of the timers and the plugin's own tick.
  Status rearm_tick(uint64_t now_ns);
  // The context a waiter belongs to (the plugin or one of its streams); nullptr when gone.
  Context* find_owner(uint32_t owner_id);
  // Makes a waiter's owner effective for its wake-up; false when the host refuses.
  bool make_effective(Context& owner);
  // Wakes one waiter in its owner's context, then lets the owner settle: on_abandoned when
  // the owner is gone, on_lost when the host refuses to make it effective.
  template <class Waiter, class Wake>
  void wake(Waiter& waiter, uint32_t owner_id, Wake&& wake);

  PluginContext& plugin_;
  TimerHeap timers_;
  uint64_t next_timer_sequence_ = 0;
  uint64_t tick_period_ns_ = 0;  // the plugin's own periodic tick, 0 when off
  uint64_t next_own_tick_ns_ = 0;
  uint32_t armed_tick_ms_ = 0;         // the period the host has now
  uint64_t armed_for_ns_ = 0;          // the deadline it was armed for
  bool moved_effective_ = false;       // a wake-up made a stream effective during this event
  bool shares_tick_ = false;           // timers or PluginContext::set_tick_period use the tick
  IdMap<QueueWaiters> queue_waiters_;  // by queue id
  uint64_t next_wait_sequence_ = 0;
};

}  // namespace coproxy::detail
