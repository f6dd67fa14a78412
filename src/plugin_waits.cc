#include "coproxy/detail/plugin_waits.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "coproxy/dispatcher.h"
#include "coproxy/effective_context.h"
#include "coproxy/plugin_context.h"
#include "coproxy/time.h"

namespace coproxy::detail {
namespace {

constexpr uint64_t kNanosPerMilli = 1'000'000;
constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

}  // namespace

PluginWaits::~PluginWaits() {
  while (Timer* timer = timers_.pop()) {
    timer->plugin_ = nullptr;
    timer->on_abandoned();
  }
  std::vector<QueueWaiter*> waiters;
  queue_waiters_.for_each([&](uint32_t, QueueWaiters& list) {
    for (QueueWaiter* waiter = list.head; waiter != nullptr; waiter = waiter->next_) {
      waiters.push_back(waiter);
    }
  });
  for (QueueWaiter* waiter : waiters) {
    waiter->plugin_ = nullptr;
    waiter->on_abandoned();
  }
}

// ---- waking a waiter in its owner's context ----

Context* PluginWaits::find_owner(uint32_t owner_id) {
  if (owner_id == plugin_.id()) return &plugin_;
  Dispatcher* dispatcher = Dispatcher::active();
  return dispatcher ? dispatcher->find_context(owner_id) : nullptr;
}

bool PluginWaits::make_effective(Context& owner) {
  if (&owner == &plugin_) {
    // An earlier wake-up of this event may have made a stream effective: be the plugin again.
    if (moved_effective_ && set_effective_context(plugin_.id()).ok()) moved_effective_ = false;
    return true;
  }
  if (!set_effective_context(owner.id()).ok()) return false;
  moved_effective_ = true;
  return true;
}

template <class Waiter, class Wake>
void PluginWaits::wake(Waiter& waiter, uint32_t owner_id, Wake&& wake) {
  Context* owner = find_owner(owner_id);
  if (owner == nullptr) {
    waiter.on_abandoned();
    return;
  }
  if (!make_effective(*owner)) {
    // The host no longer knows the owner: the waiter learns so rather than wait forever.
    detail::wake_as(*owner, [&waiter] { waiter.on_lost(); });
    return;
  }
  detail::wake_as(*owner, std::forward<Wake>(wake));
}

// ---- timers and the shared tick ----

Status PluginWaits::set_tick_period(std::chrono::milliseconds period) {
  if (period.count() < 0) return StatusCode::BadArgument;
  Result<uint64_t> now = current_time_nanoseconds();
  if (!now.ok()) return now.status();
  shares_tick_ = true;
  tick_period_ns_ = static_cast<uint64_t>(period.count()) * kNanosPerMilli;
  next_own_tick_ns_ = *now + tick_period_ns_;
  return rearm_tick(*now);
}

Status PluginWaits::start_timer(Timer& timer, const Context& owner,
                                std::chrono::milliseconds delay) {
  Result<uint64_t> now = current_time_nanoseconds();
  if (!now.ok()) return now.status();
  if (timer.pending()) timer.plugin_->cancel_timer(timer);
  shares_tick_ = true;
  timer.plugin_ = &plugin_;
  timer.owner_id_ = owner.id();
  timer.deadline_ns_ =
      *now + static_cast<uint64_t>(std::max<int64_t>(delay.count(), 0)) * kNanosPerMilli;
  timer.sequence_ = next_timer_sequence_++;
  timers_.push(&timer);
  // The host tick already comes in time unless this is the new earliest deadline.
  if (timers_.top() == &timer && (armed_tick_ms_ == 0 || timer.deadline_ns_ < armed_for_ns_)) {
    Status armed = rearm_tick(*now);
    // Not armed: the timer is not started either. Its waiter goes on with the error, so a
    // timer left queued would later resume a coroutine that moved on (found by the fuzzer).
    if (!armed.ok()) cancel_timer(timer);
    return armed;
  }
  return Status();
}

void PluginWaits::cancel_timer(Timer& timer) {
  if (timer.plugin_ != &plugin_) return;
  timers_.remove(&timer);
  timer.plugin_ = nullptr;
  // The tick stays armed; if nothing is due when it comes, it is turned off then.
}

Status PluginWaits::rearm_tick(uint64_t now_ns) {
  uint64_t next = kNever;
  if (const Timer* first = timers_.top()) next = first->deadline_ns_;
  if (tick_period_ns_ != 0) next = std::min(next, next_own_tick_ns_);
  uint32_t period_ms = 0;
  if (next != kNever) {
    const uint64_t wait = next > now_ns ? next - now_ns : 0;
    period_ms =
        static_cast<uint32_t>(std::max<uint64_t>(1, (wait + kNanosPerMilli - 1) / kNanosPerMilli));
  }
  armed_for_ns_ = next;
  // Same period: the host's next tick comes no later than `next` (ticks repeat).
  if (period_ms == armed_tick_ms_) return Status();
  Status status = coproxy::set_tick_period(std::chrono::milliseconds(period_ms));
  if (status.ok()) armed_tick_ms_ = period_ms;
  return status;
}

void PluginWaits::on_tick() {
  if (!shares_tick_) {  // only queue waiters so far: the plugin drives the tick itself
    plugin_.on_tick();
    return;
  }
  Result<uint64_t> now = current_time_nanoseconds();
  if (!now.ok()) return;
  if (tick_period_ns_ != 0 && *now >= next_own_tick_ns_) {
    next_own_tick_ns_ = std::max(next_own_tick_ns_ + tick_period_ns_, *now + 1);
    plugin_.on_tick();
  }
  // Timers started while these fire (even with no delay) wait for the next tick.
  const uint64_t started_before = next_timer_sequence_;
  moved_effective_ = false;
  while (Timer* timer = timers_.top()) {
    if (timer->deadline_ns_ > *now || timer->sequence_ >= started_before) break;
    timers_.pop();
    timer->plugin_ = nullptr;
    wake(*timer, timer->owner_id_, [timer] { timer->on_fire(); });
  }
  // The tick belongs to the plugin context: make it effective again before arming it.
  if (moved_effective_) set_effective_context(plugin_.id());
  rearm_tick(*now);
}

// ---- shared queues ----

void PluginWaits::wait_for_queue(QueueWaiter& waiter, const Context& owner, uint32_t queue_id) {
  if (waiter.waiting()) waiter.plugin_->stop_waiting(waiter);
  QueueWaiters* list = queue_waiters_.find(queue_id);
  if (list == nullptr) {
    queue_waiters_.insert(queue_id, QueueWaiters{});
    list = queue_waiters_.find(queue_id);
  }
  waiter.plugin_ = &plugin_;
  waiter.owner_id_ = owner.id();
  waiter.queue_id_ = queue_id;
  waiter.sequence_ = next_wait_sequence_++;
  waiter.next_ = nullptr;
  waiter.prev_ = list->tail;
  if (list->tail != nullptr) {
    list->tail->next_ = &waiter;
  } else {
    list->head = &waiter;
  }
  list->tail = &waiter;
}

void PluginWaits::stop_waiting(QueueWaiter& waiter) {
  if (waiter.plugin_ != &plugin_) return;
  QueueWaiters* list = queue_waiters_.find(waiter.queue_id_);
  if (waiter.prev_ != nullptr) {
    waiter.prev_->next_ = waiter.next_;
  } else {
    list->head = waiter.next_;
  }
  if (waiter.next_ != nullptr) {
    waiter.next_->prev_ = waiter.prev_;
  } else {
    list->tail = waiter.prev_;
  }
  if (list->head == nullptr) queue_waiters_.erase(waiter.queue_id_);
  waiter.plugin_ = nullptr;
  waiter.prev_ = waiter.next_ = nullptr;
}

size_t PluginWaits::waiters_of(uint32_t context_id) const {
  size_t count = 0;
  timers_.for_each([&](const Timer& timer) { count += timer.owner_id_ == context_id; });
  const_cast<IdMap<QueueWaiters>&>(queue_waiters_).for_each([&](uint32_t, QueueWaiters& list) {
    for (const QueueWaiter* w = list.head; w != nullptr; w = w->next_) {
      count += w->owner_id_ == context_id;
    }
  });
  return count;
}

void PluginWaits::on_queue_ready(uint32_t queue_id) {
  // One at a time: a woken waiter may stop others (its siblings in a when_any) or wait
  // again, which puts it behind this signal.
  const uint64_t waiting_before = next_wait_sequence_;
  moved_effective_ = false;
  for (;;) {
    QueueWaiters* list = queue_waiters_.find(queue_id);
    QueueWaiter* waiter = list ? list->head : nullptr;
    if (waiter == nullptr || waiter->sequence_ >= waiting_before) break;
    stop_waiting(*waiter);
    wake(*waiter, waiter->owner_id_, [waiter] { waiter->on_ready(); });
  }
  if (moved_effective_) set_effective_context(plugin_.id());
}

}  // namespace coproxy::detail
