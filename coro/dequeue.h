// co_await dequeue(queue_id): the next message of a shared queue, waiting for one if needed.
//
// It tries the queue first; when it is empty, it waits for the queue's ready signal
// (proxy_on_queue_ready on the plugin context that registered the queue) and tries again. A
// signal may find the queue empty (another consumer was first): it then waits for the next.
// Errors other than an empty queue (an unknown queue: NotFound) come back at once;
// BrokenConnection when the host refused to make the task's context effective as it woke.
//
// A queue is named by its id, or by its name: dequeue("jobs") registers the queue "jobs" with
// the current plugin context (the same id again if it exists), so that its ready signals come
// here. A queue has one consumer: the plugin context that registered it last gets every
// signal (proxy-wasm-cpp-host's SharedQueue::registerQueue), so consume a queue from one
// place, such as one background task. Producers elsewhere find it with
// resolve_shared_queue(vm_id, name) and enqueue_shared_queue (coproxy/shared_queue.h).
#pragma once

#include <coroutine>
#include <cstdint>
#include <string_view>

#include "coproxy/host_bytes.h"
#include "coproxy/queue_waiter.h"
#include "coproxy/status.h"

namespace coproxy {

class [[nodiscard]] DequeueAwaiter final : public QueueWaiter {
 public:
  explicit DequeueAwaiter(uint32_t queue) : queue_(queue) {}
  // Registers `name` now (the id is all that is kept): its error, if any, is the result.
  explicit DequeueAwaiter(std::string_view name);

  bool await_ready();
  bool await_suspend(std::coroutine_handle<> awaiter);
  Result<HostBytes> await_resume() { return std::move(result_); }

  void on_ready() override;
  void on_lost() override {
    result_ = StatusCode::BrokenConnection;
    awaiter_.resume();
  }

 private:
  uint32_t queue_ = 0;
  Result<HostBytes> result_{StatusCode::Empty};  // Empty: try the queue
  std::coroutine_handle<> awaiter_;
};

inline DequeueAwaiter dequeue(uint32_t queue_id) { return DequeueAwaiter(queue_id); }
inline DequeueAwaiter dequeue(std::string_view queue_name) { return DequeueAwaiter(queue_name); }

}  // namespace coproxy
