// QueueWaiter: waits for proxy_on_queue_ready of one shared queue, for any context of a
// plugin (coroutine style: co_await dequeue(...) is one). A ready signal wakes every waiter of
// that queue once; the queue may be empty by the time a waiter looks (another consumer, or
// another VM, took the message).
#pragma once

#include <cstdint>

namespace coproxy {

class PluginContext;
namespace detail {
class PluginWaits;
}

class QueueWaiter {
 public:
  QueueWaiter() = default;
  QueueWaiter(const QueueWaiter&) = delete;
  QueueWaiter& operator=(const QueueWaiter&) = delete;
  // Only a waiter not waiting yet may move (an awaitable on its way into a combinator).
  QueueWaiter(QueueWaiter&& other) noexcept : QueueWaiter() { (void)other; }
  // A waiting waiter stops waiting.
  virtual ~QueueWaiter();

  bool waiting() const { return plugin_ != nullptr; }
  uint32_t queue_id() const { return queue_id_; }
  // The queue signalled ready. The waiter has stopped waiting; its owner context is effective.
  virtual void on_ready() = 0;
  // The owner context is gone: no signal will come.
  virtual void on_abandoned() {}
  // The queue signalled but the host refused to make the owner effective (it no longer knows
  // it): runs with the owner current. By default, on_abandoned().
  virtual void on_lost() { on_abandoned(); }

 private:
  friend class detail::PluginWaits;

  PluginContext* plugin_ = nullptr;
  uint32_t owner_id_ = 0;
  uint32_t queue_id_ = 0;
  uint64_t sequence_ = 0;        // a signal wakes only the waiters that were already waiting
  QueueWaiter* prev_ = nullptr;  // among the waiters of one queue, in arrival order
  QueueWaiter* next_ = nullptr;
};

}  // namespace coproxy
